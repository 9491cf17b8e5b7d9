import { Badge } from "../ui/Feedback";
import { Icon } from "../ui/Icon";
import { PageHeader } from "../ui/Layout";
import { session } from "../lib/session";

export default function ComingSoon(props: { title: string; blurb: string }) {
  return (
    <>
      <PageHeader title={props.title} eyebrow={<Badge tone="brand">Coming soon</Badge>} description={session.workspace() ? <>Workspace: {session.workspace()!.name}</> : undefined} />
      <section class="soon">
        <div class="soon-art" aria-hidden="true">
          <span class="soon-bar" style={{ height: "38%" }} />
          <span class="soon-bar" style={{ height: "62%" }} />
          <span class="soon-bar" style={{ height: "48%" }} />
          <span class="soon-bar" style={{ height: "80%" }} />
          <span class="soon-bar" style={{ height: "66%" }} />
        </div>
        <h2>{props.title} is on its way</h2>
        <p>{props.blurb}</p>
        <p class="soon-note">
          <Icon name="sparkles" size={15} /> We are building this now. It will appear here without any setup.
        </p>
      </section>
    </>
  );
}
