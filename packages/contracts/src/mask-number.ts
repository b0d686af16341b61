/** Hides the middle of a phone number so that status answers and logs do not expose it. */
export function maskNumber(number: string): string {
  if (number.length <= 5) return '*'.repeat(number.length);
  const keepStart = Math.min(4, number.length - 5);
  const keepEnd = 2;
  return (
    number.slice(0, keepStart) + '*'.repeat(number.length - keepStart - keepEnd) + number.slice(-keepEnd)
  );
}
