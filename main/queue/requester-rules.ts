/**
 * What a self-service kiosk may ask of the queue, as pure rules (docs/security.md). A kiosk stands in
 * the hall for anyone to touch, and its token can be copied off it: it may not claim a priority
 * (only the automatic 老年人优先 from the ID number's birth date), and it may cancel only a ticket it
 * issued itself, shortly after — the undo of a wrong tap. Counters, admins and staff sessions are
 * trusted with both. The caller's role comes from its credential, never from the request body.
 */
import type { Channel, Priority } from '../../common/queue-terms.js';
import { type Actor, QueueError, type Ticket } from './types.js';

/** How long after issuing a kiosk may undo its own ticket. */
export const KIOSK_UNDO_MS = 2 * 60_000;

/** Roles trusted to set any priority and cancel any waiting ticket; every other role is held to the kiosk's rules. */
const TRUSTED: readonly Actor['role'][] = ['counter', 'admin', 'staff', 'system'];

/** Who asks: the role of the credential and, for a device token, the token's id. */
export interface Requester {
  role: Actor['role'];
  /** The device token's id (not its secret); null for staff sessions and the system. */
  tokenId: string | null;
}

export const isTrusted = (r: Pick<Requester, 'role'>): boolean => TRUSTED.includes(r.role);

/**
 * The priority a ticket gets. `automatic` is what the ID number earns without asking (elderly at
 * 60 and over, or null). A trusted requester's choice stands; a kiosk gets the automatic one, and
 * asking for anything else is refused — never silently granted or dropped.
 */
export function grantedPriority(
  requester: Pick<Requester, 'role'>,
  requested: Priority | null,
  automatic: Priority | null,
): Priority | null {
  if (isTrusted(requester)) return requested ?? automatic;
  if (requested === null || requested === automatic) return automatic;
  throw new QueueError(
    'PRIORITY_NOT_ALLOWED',
    requested === 'elderly'
      ? '老年人优先按证件号码自动判断（满 60 周岁），取号机不能指定；请刷身份证取号'
      : '取号机不能指定优先类别；需要优先办理请到咨询台或窗口，由工作人员取号',
    'priority',
  );
}

/** Refuses the cancel of `ticket` by `requester` at `now` unless the rules above allow it. */
export function checkCancel(ticket: Ticket, requester: Requester, now: number): void {
  if (isTrusted(requester)) return;
  if (requester.tokenId === null || ticket.issuedBy !== requester.tokenId) {
    throw new QueueError('NOT_OWN_TICKET', `票号 ${ticket.number} 不是本机取的号，取号机不能取消；请到咨询台办理`);
  }
  if (now - ticket.issuedAt > KIOSK_UNDO_MS) {
    throw new QueueError(
      'UNDO_TOO_LATE',
      `票号 ${ticket.number} 取号已超过 ${KIOSK_UNDO_MS / 60_000} 分钟，取号机不能再撤销；请到咨询台由工作人员取消`,
    );
  }
}

/**
 * The channel a ticket is recorded under. A kiosk issues `kiosk` tickets only: `staff` and
 * `mobile` are what staff and the phone pages record, and an `appointment` ticket comes only from
 * a check-in of a booked appointment (the hub checks that before it asks the queue).
 */
export function checkChannel(requester: Pick<Requester, 'role'>, channel: Channel): void {
  if (isTrusted(requester) || channel === 'kiosk' || channel === 'appointment') return;
  throw new QueueError(
    'CHANNEL_NOT_ALLOWED',
    `取号机取的号渠道只能是 kiosk，不能是「${channel}」；工作人员代取号请在窗口或咨询台操作`,
    'channel',
  );
}
