/**
 * The `--name value` flags of a child process that tests and benchmarks start (a hub, a platform
 * simulator, a soak hall): every flag is a string, read once from `process.argv`.
 */
import { parseArgs } from 'node:util';

export function childArgs<const N extends string>(...names: N[]): Partial<Record<N, string>> {
  const options = Object.fromEntries(names.map((n) => [n, { type: 'string' as const }]));
  // parseArgs types its answer from a literal options object; built from names it is a plain record.
  return parseArgs({ options }).values as Partial<Record<N, string>>;
}
