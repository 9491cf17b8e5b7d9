// A typed wrapper over `api()` keyed by the documented path: the request (path params, query,
// body) and the answer are typed from api-types.gen.ts, generated from /api/openapi.json.
import { api } from "../api";
import type { paths } from "../api-types.gen";

type Method = "get" | "post" | "put" | "patch" | "delete";
type Defined<T> = [T] extends [never] ? false : [T] extends [undefined] ? false : true;
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
export type PathsWith<M extends Method> = { [P in keyof paths]: Defined<paths[P][M]> extends true ? P : never }[keyof paths];

type Params<O> = O extends { parameters: { path: infer X } } ? (Defined<X> extends true ? { params: X } : {}) : {};
type Query<O> = O extends { parameters: { query?: infer Q } } ? (Defined<Q> extends true ? { query?: Q } : {}) : {};
type Body<O> = O extends { requestBody: { content: { "application/json": infer B } } } ? { body: B } : {};
export type Args<O> = Params<O> & Query<O> & Body<O> & { signal?: AbortSignal; auth?: boolean };

type JsonOf<R> = R extends { content: { "application/json": infer J } } ? J : undefined;
type SuccessOf<O> = O extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201 | 202 | 204>]> : never;

/** The success body of `method path`, e.g. `ResponseOf<"/api/workspaces", "get">`. */
export type ResponseOf<P extends keyof paths, M extends Method> = SuccessOf<Op<P, M>>;
/** The JSON body `method path` takes. */
export type BodyOf<P extends keyof paths, M extends Method> = Op<P, M> extends { requestBody: { content: { "application/json": infer B } } } ? B : never;

type Call<M extends Method> = <P extends PathsWith<M>>(
  path: P,
  ...args: {} extends Args<Op<P, M>> ? [Args<Op<P, M>>?] : [Args<Op<P, M>>]
) => Promise<ResponseOf<P, M>>;

function caller<M extends Method>(method: M): Call<M> {
  return ((path: string, args: { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown; signal?: AbortSignal; auth?: boolean } = {}) => {
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(args.params?.[name] ?? ""));
    return api(url, {
      method: method.toUpperCase() as "GET",
      query: args.query as Record<string, string | number | undefined | null> | undefined,
      body: args.body,
      signal: args.signal,
      auth: args.auth,
    });
  }) as Call<M>;
}

export const client = { get: caller("get"), post: caller("post"), put: caller("put"), patch: caller("patch"), delete: caller("delete") };
