/**
 * The port a `govhall sim …` device simulator talks on: an existing serial port (`--port PATH`),
 * or a virtual pair made with socat (`--create-pty`): the simulator takes the device end and
 * prints the host end, which the driver (or `govhall` itself) then opens as if it were the device.
 */
import type { ByteLink } from '../../drivers/transport/byte-link.js';
import { openSerialLink } from '../../drivers/transport/serial-link.js';
import { createPtyPair } from '../../drivers/transport/socat-pty.js';
import { type FlagSpec, intFlag, parseFlags } from './args.js';
import { CliError } from './cli-error.js';

export interface SimPort {
  link: ByteLink;
  /** The path a driver should open (the pty pair's host end), or the port given. */
  devicePath: string;
  close(): Promise<void>;
}

export async function openSimPort(opts: { port?: string; createPty?: boolean; baud?: number }): Promise<SimPort> {
  const baudRate = opts.baud ?? 9600;
  const open = async (path: string) => {
    try {
      return await openSerialLink({ path, baudRate });
    } catch (e) {
      throw new CliError((e as Error).message, 1);
    }
  };
  if (opts.createPty) {
    let pair: Awaited<ReturnType<typeof createPtyPair>>;
    try {
      pair = await createPtyPair();
    } catch (e) {
      throw new CliError((e as Error).message, 1);
    }
    const link = await open(pair.devicePath).catch(async (e) => {
      await pair.close();
      throw e;
    });
    return {
      link,
      devicePath: pair.hostPath,
      close: async () => {
        await link.close();
        await pair.close();
      },
    };
  }
  if (!opts.port) throw new CliError('需要 --port PATH 或 --create-pty', 2);
  const link = await open(opts.port);
  return { link, devicePath: opts.port, close: () => link.close() };
}

/** The flags every `govhall sim …` has: where the simulator talks, and at what baud rate. */
const PORT_FLAGS = { port: { type: 'string' }, 'create-pty': { type: 'boolean' }, baud: { type: 'string' } } as const;

/** A simulator's flags: the shared port flags plus its own. Stray arguments are a usage error (2). */
export function parseSimFlags<S extends FlagSpec>(args: string[], own: S, usage: string) {
  const { values, positionals } = parseFlags(args, { ...PORT_FLAGS, ...own }, usage);
  if (positionals.length) throw new CliError(`多余的参数：${positionals.join(' ')}\n\n${usage}`, 2);
  return values;
}

/** Opens the port the flags name (exactly one of `--port` / `--create-pty`) at `--baud` or the family's default. */
export async function openSimPortFrom(
  values: { port?: string; 'create-pty'?: boolean; baud?: string },
  usage: string,
  defaultBaud: number,
): Promise<SimPort & { baud: number }> {
  if ((values.port !== undefined) === (values['create-pty'] === true)) {
    throw new CliError(`需要 --port PATH 或 --create-pty（二者选一）\n\n${usage}`, 2);
  }
  const baud = intFlag(values.baud, 'baud', 300, 921600) ?? defaultBaud;
  const port = await openSimPort({
    ...(values.port !== undefined ? { port: values.port } : {}),
    createPty: values['create-pty'] === true,
    baud,
  });
  return { ...port, baud };
}

/** Resolves on Ctrl+C / SIGTERM. */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
