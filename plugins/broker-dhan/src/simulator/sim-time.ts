// Dhan prints times in IST as "YYYY-MM-DD HH:mm:ss"
const IST_OFFSET_MS = 5.5 * 60 * 60 * 1000;

export function formatIst(ms: number): string {
  return new Date(ms + IST_OFFSET_MS).toISOString().replace('T', ' ').slice(0, 19);
}
