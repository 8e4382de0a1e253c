/**
 * The shape of one hall's configuration after it has been parsed and validated.
 * Every other part of govhall consumes this type; the YAML schema in `schema.ts` produces it.
 */
import type { Priority } from '../common/queue-terms.js';
import type { AppointmentConfig } from './appointment-schema.js';
import type { BackupConfig } from './backup-schema.js';
import type { CalendarConfig } from './calendar-schema.js';
import type { LocalCatalogue } from './catalogue-schema.js';
import type { DevicesConfig } from './devices-schema.js';
import type { DocumentsConfig } from './documents-schema.js';
import type { HubConfig } from './hub-schema.js';
import type { PlatformConfig } from './platform-schema.js';
import type { PublicConfig } from './public-schema.js';
import type { AlarmsConfig, RectificationConfig } from './rectification-schema.js';

/** Local wall-clock time of day, "HH:MM" (24 h) in the hall's time zone. */
export type TimeOfDay = string;

/** Opening period on given ISO weekdays (1 = Monday … 7 = Sunday). */
export interface OpeningPeriod {
  days: number[];
  open: TimeOfDay;
  close: TimeOfDay;
}

export interface QueueServiceConfig {
  code: string;
  name: string;
  category: string;
  /** Ticket prefix, one or two capital letters, e.g. "A". */
  prefix: string;
  /** Inclusive number range, e.g. [1, 999]; the number is zero-padded to the width of `to`. */
  numberRange: { from: number; to: number };
  /** Most tickets issued per business day (0 = only the number range limits it). */
  dailyCap: number;
  /** Issuing hours; when absent the hall's opening hours apply. */
  hours?: OpeningPeriod[];
  /** 事项 codes (实施编码) this queue service covers. */
  taskCodes: string[];
  /** Whether a ticket may be taken without an identity document (manual path). */
  allowAnonymous: boolean;
  /** Serving time assumed before any real one was measured today, in seconds. */
  defaultServiceSeconds: number;
  /** Booking: slots, capacity, check-in window (kiosk-config/appointment-schema.ts); absent = not bookable. */
  appointment?: AppointmentConfig;
}

export interface WindowServiceConfig {
  code: string;
  /** Relative weight in call-next, a positive integer (1 = normal). */
  weight: number;
}

export interface WindowConfig {
  no: number;
  name: string;
  services: WindowServiceConfig[];
  /** 综合窗口 */
  comprehensive: boolean;
  /** 绿色通道: this window calls priority tickets before anything else. */
  greenChannel: boolean;
}

export interface StaffConfig {
  no: string;
  name: string;
  role: 'staff' | 'manager';
  /** scrypt hash: "scrypt$N$r$p$saltBase64$hashBase64" — never a clear PIN. */
  pinHash: string;
  /** Window numbers this person may sign in at. */
  windows: number[];
}

export interface PriorityPolicy {
  enabled: Priority[];
  /** Interleave: after one priority ticket, up to `normalPerPriority` normal tickets before the next one. */
  normalPerPriority: number;
  /** Appointment tickets called before all others. */
  appointmentsFirst: boolean;
  /**
   * Ageing guard: a ticket that has waited this long is no longer overtaken by younger tickets of
   * its class at a window that serves it (default 1800 s). This is what makes the weighted choice
   * starvation-free even when one service is overloaded.
   */
  agingLimitSeconds?: number;
}

export interface AnnouncementConfig {
  /** Placeholders: {number}, {window}, {windowName}, {service}. */
  template: string;
  repeat: number;
  /** A language the call is also announced in, after the Chinese (absent = Chinese only). */
  secondLanguage?: 'en';
}

export interface TicketTextConfig {
  header: string;
  footer: string;
  /** Optional URL template for the QR code on the ticket; {ticketId} and {number} are replaced. */
  qrUrl?: string;
}

export interface PrivacyConfig {
  /** Applicant personal data on tickets is removed after this many days. */
  purgeAfterDays: number;
}

export interface HallConfig {
  hall: {
    code: string;
    name: string;
    areaCode: string;
    timeZone: string;
    openingHours: OpeningPeriod[];
    /**
     * The embedded demo hall (`demo: true` in kiosk-config/demo-hall.yaml): the only hall where the
     * demo PIN 123456 may be set. A real hall leaves it out (default false).
     */
    demo?: boolean;
  };
  services: QueueServiceConfig[];
  windows: WindowConfig[];
  staff: StaffConfig[];
  priority: PriorityPolicy;
  announcement: AnnouncementConfig;
  ticketText: TicketTextConfig;
  privacy: PrivacyConfig;
  /**
   * Holidays and make-up working days per year (kiosk-config/calendar-schema.ts); working days are
   * counted with common/hall-calendar.ts. Absent = weekends only, and every year counts as missing.
   */
  calendar?: CalendarConfig;
  /** Terminals and their devices (kiosk-config/devices-schema.ts); absent when the hall has none. */
  devices?: DevicesConfig;
  /** The provincial platform (kiosk-config/platform-schema.ts, docs/sync.md); absent = the outbox waits. */
  platform?: PlatformConfig;
  /** What the hub accepts from web pages other than its own (kiosk-config/hub-schema.ts). */
  hub?: HubConfig;
  /** Daily online backups (kiosk-config/backup-schema.ts, docs/store.md); absent = none scheduled. */
  backup?: BackupConfig;
  /**
   * The hall's own catalogue of 事项 (kiosk-config/catalogue-schema.ts): names, materials and
   * promise days used until the platform's catalogue arrives, and merged with it after
   * (common/catalogue-merge.ts). A `file:` reference is read by the loader, so here it has items.
   */
  catalogue?: LocalCatalogue;
  /** The printed documents' font and progress link (kiosk-config/documents-schema.ts, docs/documents.md). */
  documents?: DocumentsConfig;
  /** 差评整改 deadline and reminders (kiosk-config/rectification-schema.ts); absent = 15 working days, reminders at 3 and 1. */
  rectification?: RectificationConfig;
  /** Long waits, 承诺件 and the alarm webhook (kiosk-config/rectification-schema.ts); absent = none. */
  alarms?: AlarmsConfig;
  /** Citizens' phones: the public base URL, a second listener, limits (kiosk-config/public-schema.ts). */
  public?: PublicConfig;
}
