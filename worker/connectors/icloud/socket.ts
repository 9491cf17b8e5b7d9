// TCP for the IMAP and SMTP clients: `cloudflare:sockets` in the Worker, behind a factory so the
// clients run over any socket with the same shape. The module is loaded lazily: only a handler
// (fetch, alarm, queue) may open sockets, and the OpenAPI build in Node never needs it.
import { ProviderError } from "../http";

export type TlsMode = "off" | "on" | "starttls";
export type Endpoint = { hostname: string; port: number; tls: TlsMode };
export interface MailSocket {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
  opened: Promise<unknown>;
  close(): Promise<void>;
  /** Only on a socket opened with tls "starttls": the upgraded socket (the old one is spent). */
  startTls(): MailSocket;
}
export type SocketFactory = (ep: Endpoint) => Promise<MailSocket>;

export const workerSockets: SocketFactory = async (ep) => {
  const { connect } = await import("cloudflare:sockets");
  return connect({ hostname: ep.hostname, port: ep.port }, { secureTransport: ep.tls, allowHalfOpen: false }) as unknown as MailSocket;
};

/** "host:port" → an endpoint. */
export function endpointOf(hostPort: string, tls: TlsMode): Endpoint {
  const i = hostPort.lastIndexOf(":");
  return { hostname: hostPort.slice(0, i), port: Number(hostPort.slice(i + 1)), tls };
}

const CRLF = [13, 10] as const;

/** Buffered reads off a socket: CRLF-terminated lines and exact byte counts (IMAP literals), each with a deadline. */
export class Wire {
  private reader: ReadableStreamDefaultReader<Uint8Array>;
  private writer: WritableStreamDefaultWriter<Uint8Array>;
  private buf = new Uint8Array(0);
  private pos = 0;
  private readonly dec = new TextDecoder();
  private readonly enc = new TextEncoder();

  constructor(readonly socket: MailSocket, private readonly what: string, private readonly timeoutMs: number) {
    this.reader = socket.readable.getReader();
    this.writer = socket.writable.getWriter();
  }

  /**
   * For STARTTLS: this wire's locks on the plain socket's streams go first (workerd's startTls()
   * refuses a socket whose streams are locked: "This WritableStream is currently locked to a
   * writer"), then the upgraded socket gets a wire of its own.
   */
  upgrade(start: () => MailSocket): { socket: MailSocket; wire: Wire } {
    this.release();
    const socket = start();
    return { socket, wire: new Wire(socket, this.what, this.timeoutMs) };
  }

  release() {
    this.reader.releaseLock();
    this.writer.releaseLock();
  }

  private async fill(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ProviderError("transient", `${this.what}: the server did not answer in time`, { provider: "icloud" })), this.timeoutMs);
    });
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await Promise.race([this.reader.read(), timeout]);
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      throw new ProviderError("transient", `${this.what}: connection lost`, { provider: "icloud" });
    } finally {
      clearTimeout(timer);
    }
    if (chunk.done || !chunk.value) throw new ProviderError("transient", `${this.what}: the server closed the connection`, { provider: "icloud" });
    const rest = this.buf.subarray(this.pos);
    const next = new Uint8Array(rest.length + chunk.value.length);
    next.set(rest);
    next.set(chunk.value, rest.length);
    this.buf = next;
    this.pos = 0;
  }

  async line(): Promise<string> {
    for (;;) {
      for (let i = this.pos; i + 1 < this.buf.length; i++) {
        if (this.buf[i] === CRLF[0] && this.buf[i + 1] === CRLF[1]) {
          const text = this.dec.decode(this.buf.subarray(this.pos, i));
          this.pos = i + 2;
          return text;
        }
      }
      await this.fill();
    }
  }

  async bytes(n: number): Promise<Uint8Array> {
    while (this.buf.length - this.pos < n) await this.fill();
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  async write(data: string | Uint8Array): Promise<void> {
    try {
      await this.writer.write(typeof data === "string" ? this.enc.encode(data) : data);
    } catch {
      throw new ProviderError("transient", `${this.what}: connection lost while writing`, { provider: "icloud" });
    }
  }
}
