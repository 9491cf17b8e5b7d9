export { rollupStatements, rebuildStatements, rebuildRollups, type RollupOwner } from "./rollups";
export { catalogue, metricOf, storedMetrics, derivedMetrics, areaKpis, areas, dimensions, inputsOf, suppliedBy, type Area, type Metric, type Unit } from "./catalogue";
export { ensureTimeZone, isTimeZone, localDay, offsetMinutes } from "./time-zone";
