// Email campaigns in Klaviyo and Mailchimp: drafts, test sends, scheduling and sending.
import { registerActionExecutor } from "../../core/actions";
import { sendCampaignExecutor } from "./executor";

registerActionExecutor(sendCampaignExecutor);

export { campaignRoutes } from "./routes";
export type { CampaignView } from "./schemas";
