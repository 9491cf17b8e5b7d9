export { deliverEmail } from "./deliver";
