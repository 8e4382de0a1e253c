/** What every kiosk screen can reach: the hall, the person at the kiosk, elder mode, navigation. */
import { createContext, useContext } from 'react';
import type { ApiHall, ApiService, ApiTicket, CertType } from '../shared/api-types.js';
import type { PrintResult } from '../shared/bridge.js';

export interface KioskApplicant {
  name: string;
  certType: CertType;
  certNo: string;
  birthDate: string | null;
  source: 'card' | 'keypad';
  /**
   * The hub's id of this card read, when the hub's own reader read it (device bridge): proof for
   * 办件查询 that the number came from the card. Absent for a typed number or a local reader.
   */
  readId?: string;
}

export type Purpose = 'ticket' | 'appointment';

export type PrintState = { state: 'printing' } | { state: 'done'; result: PrintResult };

export type Screen =
  | { name: 'home' }
  | { name: 'services'; purpose: Purpose }
  | { name: 'identify'; purpose: Purpose; service: ApiService }
  | { name: 'ticket'; ticket: ApiTicket; service: ApiService; print: PrintState }
  | { name: 'appointment' }
  | { name: 'book' }
  | { name: 'cases' }
  | { name: 'guide' }
  | { name: 'evaluate' };

export interface KioskContextValue {
  /** The kiosk's language (renderer/i18n): screens re-render when it changes. */
  lang: string;
  hall: ApiHall | null;
  /** Business day (YYYY-MM-DD) for ID checks. */
  today: string;
  applicant: KioskApplicant | null;
  setApplicant(a: KioskApplicant | null): void;
  appointmentCode: string | null;
  setAppointmentCode(c: string | null): void;
  elder: boolean;
  setElder(on: boolean): void;
  /** Speaks in elder mode (interrupting the previous step); always logged for tests. */
  say(text: string): void;
  go(s: Screen): void;
  /** Ends the visit: wipes the person's data and returns home. */
  finish(): void;
  screen: Screen;
  /** Takes a ticket for the person now at the kiosk; shows errors itself. */
  issue(service: ApiService, purpose: Purpose, anonymous?: boolean): Promise<void>;
  /** Shows and prints a ticket the hub already issued (an appointment's check-in). */
  present(ticket: ApiTicket): Promise<void>;
  busy: boolean;
  /** The printer reported a fault (text to show), or null. */
  printerProblem: string | null;
  error: string | null;
  setError(e: string | null): void;
}

export const KioskContext = createContext<KioskContextValue | null>(null);

export function useKiosk(): KioskContextValue {
  const k = useContext(KioskContext);
  if (!k) throw new Error('useKiosk outside KioskApp');
  return k;
}
