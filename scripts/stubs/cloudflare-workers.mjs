// Enough of `cloudflare:workers` for worker modules to load in Node (the API document needs no Durable Object to run).
export class DurableObject {}
export class WorkerEntrypoint {}
export const env = {};
