import { client, type ResponseOf } from "./client";

export type Notification = ResponseOf<"/api/notifications", "get">["notifications"][number];

export const listNotifications = () => client.get("/api/notifications");
export const markNotificationRead = (notificationId: string) => client.post("/api/notifications/{notificationId}/read", { params: { notificationId } });
