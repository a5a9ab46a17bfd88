// Types that tie every call to the generated description of the API (schema.d.ts).
import type { paths } from "./schema";

export type Method = "get" | "post" | "patch" | "put" | "delete";

type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

/** The paths that have an operation for this method. */
export type PathFor<M extends Method> = {
  [P in keyof paths]: [NonNullable<paths[P][M]>] extends [never] ? never : P;
}[keyof paths];

type QueryOfOp<O> = O extends { parameters: { query?: infer Q } } ? ([Q] extends [never] ? never : Q) : never;
type PathParamsOfOp<O> = O extends { parameters: { path: infer PP } } ? PP : never;
type BodyOfOp<O> = O extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;
type JsonOf<R> = R extends { content: { "application/json": infer J } } ? J : never;
type SuccessOfOp<O> = O extends { responses: infer R }
  ? R extends { 200: infer S }
    ? JsonOf<S>
    : R extends { 201: infer S }
      ? JsonOf<S>
      : R extends { 202: infer S }
        ? JsonOf<S>
        : void
  : never;

/** Custom-field filters (cf.<field>) are one documented parameter with a variable name. */
type CustomFieldQuery = { [K in `cf.${string}`]?: string };

export type QueryOf<P extends PathFor<M>, M extends Method> = [QueryOfOp<Op<P, M>>] extends [never]
  ? never
  : { [K in keyof QueryOfOp<Op<P, M>>]?: string | number | boolean | null } & CustomFieldQuery;
export type PathParamsOf<P extends PathFor<M>, M extends Method> = PathParamsOfOp<Op<P, M>>;
export type BodyOf<P extends PathFor<M>, M extends Method> = BodyOfOp<Op<P, M>>;
export type ResponseOf<P extends PathFor<M>, M extends Method> = SuccessOfOp<Op<P, M>>;

/**
 * A response model: the fields the API describes (all present, with the described types) plus
 * what the description does not say yet. When the API describes the object, an override or a
 * use of a field it no longer has stops compiling; until then the hand-written fields stand.
 */
export type ApiModel<D, Overrides = object, Extra = object> = string extends keyof D
  ? Overrides & Extra
  : Omit<Required<D>, keyof Overrides> & {
      [K in keyof Overrides]: K extends keyof D ? Overrides[K] : never;
    } & Extra;
