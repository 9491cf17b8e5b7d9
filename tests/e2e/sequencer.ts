import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Two browser-test files run at a time. The tour (every page × role × size, ~5 min) starts first so
 * that the other files share the second worker beside it instead of the tour running alone at the
 * end: on a clean clone vitest has no timings cached and would order by file size, which puts the
 * tour late.
 */
export default class TourFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isTour = (f: TestSpecification) => f.moduleId.endsWith("tour.e2e.ts");
    return [...sorted.filter(isTour), ...sorted.filter((f) => !isTour(f))];
  }
}
