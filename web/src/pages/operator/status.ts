// Whether the signed-in user is a platform operator: /api/me says so, so nobody asks
// /api/operator/* only to be answered 404.
import { session } from "../../lib/session";

export const operatorStatus = { isOperator: () => session.me()?.isOperator === true };
