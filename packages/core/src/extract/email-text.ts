// "On Tue, 3 Mar 2026 at 10:15, Priya <p@example.com> wrote:" and what follows is quoted history.
const REPLY_HEADER =
  /^\s*(?:on\s.{1,200}\swrote:|-{2,}\s*(?:original|forwarded) message\s*-{2,}|from:\s.+)$/iu;
const SIGNATURE_SEPARATOR = /^--\s?$/u;
const DEVICE_FOOTER = /^sent from my [\w\s-]{1,40}$/iu;

/**
 * The new part of an email: quoted lines (`> ...`), the quoted history after "On ... wrote:",
 * the signature after `-- ` and "Sent from my phone" footers are left out.
 */
export function stripEmailHistory(text: string): string {
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    if (REPLY_HEADER.test(line) || SIGNATURE_SEPARATOR.test(line)) break;
    if (/^\s*>/u.test(line) || DEVICE_FOOTER.test(line.trim())) continue;
    kept.push(line);
  }
  return kept.join('\n');
}
