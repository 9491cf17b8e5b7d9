export { Budget } from "./budget";
export { dailyRunAtOrBefore, hasBacklog, runRetention } from "./engine";
export { type Condition, linkCondition, q } from "./plan";
export { bucketOf, type ErasableObject, renderKey } from "./stores";
export { type ErasureHook, purgeSubject } from "./subjects";
