export { taskRoutes } from "./routes";
export { taskReminders } from "./reminders";
