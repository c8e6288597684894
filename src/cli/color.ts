/**
 * Whether to colour output. Precedence: --color/--no-color, then FORCE_COLOR ("0" disables),
 * then a non-empty NO_COLOR, then TERM=dumb, then whether the destination is a terminal.
 */
export function shouldColor(flag: boolean | undefined, env: Record<string, string | undefined>, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}
