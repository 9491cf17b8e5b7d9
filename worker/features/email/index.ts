export { deliverEmail, PermanentDeliveryError, RESEND_API, TransientDeliveryError } from "./deliver";
