import { createUniqueId } from "solid-js";

/** The QWEB mark: drawn inline so the page loads nothing from anywhere else. */
export function Logo(props: { size?: number }) {
  // Each instance owns its gradient id: a shared id resolves to the first copy, which may be hidden.
  const id = `qweb-g-${createUniqueId()}`;
  return (
    <svg width={props.size ?? 28} height={props.size ?? 28} viewBox="0 0 32 32" aria-hidden="true" class="logo-mark">
      <defs>
        <linearGradient id={id} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stop-color="#7c6cff" />
          <stop offset="1" stop-color="#3b82f6" />
        </linearGradient>
      </defs>
      <rect width="32" height="32" rx="9" fill={`url(#${id})`} />
      <circle cx="15" cy="15" r="7" fill="none" stroke="#fff" stroke-width="3" />
      <path d="m19.5 19.5 5 5" stroke="#fff" stroke-width="3" stroke-linecap="round" />
    </svg>
  );
}

export function Wordmark() {
  return (
    <span class="wordmark">
      <Logo />
      <span class="wordmark-text">QWEB</span>
    </span>
  );
}
