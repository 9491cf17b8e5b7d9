import { For, Show } from "solid-js";
import { api } from "../../lib/api";
import { Button } from "../../ui/Button";
import { createForm, FormError, TextField } from "../../ui/Form";
import { Modal } from "../../ui/Modal";
import { toast } from "../../ui/Toast";
import type { Provider } from "../../lib/api/integrations";

/** The connect form: the provider's inputs (shop domain, keys…); OAuth providers then redirect to their consent page. */
export function ConnectForm(props: { provider: Provider | null; workspaceId: string; onClose: () => void; onConnected: () => void }) {
  return (
    <Modal
      open={!!props.provider}
      title={`Connect ${props.provider?.name ?? ""}`}
      description={
        props.provider?.auth === "oauth2"
          ? `You will sign in at ${props.provider.name} and approve read access for QWEB.`
          : "QWEB checks the key with a real call before storing it, encrypted."
      }
      onClose={props.onClose}
    >
      <Show when={props.provider} keyed>
        {(p) => <ConnectFormBody provider={p} workspaceId={props.workspaceId} onClose={props.onClose} onConnected={props.onConnected} />}
      </Show>
    </Modal>
  );
}

function ConnectFormBody(props: { provider: Provider; workspaceId: string; onClose: () => void; onConnected: () => void }) {
  const form = createForm<Record<string, string>>({
    initial: Object.fromEntries(props.provider.inputs.map((f) => [f.name, ""])),
    validate: (v) => Object.fromEntries(props.provider.inputs.filter((f) => f.secret && !v[f.name]?.trim()).map((f) => [f.name, `${f.label} is required`])),
  });
  const onSubmit = form.submit(async (fields) => {
    const res = await connect(props.workspaceId, props.provider, fields);
    if (res === "connected") {
      toast.success(`${props.provider.name} connected; the first sync has started`);
      props.onConnected();
      props.onClose();
    }
  });
  return (
    <form class="form" onSubmit={onSubmit} noValidate>
      <FormError error={form.errors.form} />
      <For each={props.provider.inputs}>
        {(f, k) => (
          <TextField
            label={f.label}
            name={f.name}
            type={f.secret ? "password" : "text"}
            autocomplete="off"
            placeholder={f.placeholder}
            hint={f.help}
            value={form.values[f.name] ?? ""}
            onValue={(v) => form.set(f.name, v)}
            error={form.errors[f.name]}
            autofocus={k() === 0}
          />
        )}
      </For>
      <div class="form-actions">
        <Button variant="secondary" onClick={() => props.onClose()}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" loading={form.submitting()}>
          {props.provider.auth === "oauth2" ? `Continue to ${props.provider.name}` : "Verify and connect"}
        </Button>
      </div>
    </form>
  );
}

/** Starts a connection: OAuth providers send the browser to their consent page. */
export async function connect(workspaceId: string, provider: Provider, fields: Record<string, string>): Promise<"redirected" | "connected"> {
  const res = await api<{ kind: "redirect"; authorizeUrl: string } | { kind: "connected" }>(`/api/workspaces/${workspaceId}/integrations/${provider.id}/connect`, {
    body: { fields },
  });
  if (res.kind === "redirect") {
    window.location.assign(res.authorizeUrl);
    return "redirected";
  }
  return "connected";
}
