/** Where an export job's parts live in R2, shared by the PrivacyExport object and the download. */
export type LastExport = { jobId: string; completedAt: number; rows: number; tables: number; files: number; bytes: number };

export const exportPrefix = (userId: string, jobId: string) => `exports/${userId}/${jobId}/`;
export const partKey = (userId: string, jobId: string, table: string, part: number) =>
  `${exportPrefix(userId, jobId)}tables/${table}/${String(part).padStart(6, "0")}.json`;
