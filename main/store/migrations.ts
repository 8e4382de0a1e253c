/**
 * Schema versions, applied in order, each in its own transaction. `PRAGMA user_version` holds the
 * newest applied version so an older govhall can recognise a database it must not touch.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'hall core: tickets, windows, events, audit, tokens',
    up(db) {
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE service_counters (
          business_day TEXT NOT NULL, service_code TEXT NOT NULL, last_seq INTEGER NOT NULL,
          PRIMARY KEY (business_day, service_code)
        );
        CREATE TABLE tickets (
          id TEXT PRIMARY KEY,
          number TEXT NOT NULL,
          seq INTEGER NOT NULL,
          service_code TEXT NOT NULL,
          issued_service_code TEXT NOT NULL,
          business_day TEXT NOT NULL,
          status TEXT NOT NULL,
          priority TEXT,
          channel TEXT NOT NULL,
          appointment_id TEXT,
          applicant_name TEXT,
          applicant_cert_type TEXT,
          applicant_cert_enc TEXT,
          applicant_cert_hash TEXT,
          issued_at INTEGER NOT NULL,
          queued_at INTEGER NOT NULL,
          queue_order REAL NOT NULL,
          target_window_no INTEGER,
          window_no INTEGER,
          staff_no TEXT,
          called_at INTEGER,
          started_at INTEGER,
          finished_at INTEGER,
          recall_count INTEGER NOT NULL DEFAULT 0,
          requeued INTEGER NOT NULL DEFAULT 0,
          transferred_from TEXT REFERENCES tickets(id),
          transferred_to TEXT,
          closed_reason TEXT,
          terminal_id TEXT,
          personal_purged_at INTEGER
        ) WITHOUT ROWID;
        -- The last line of defence against a number issued twice, whatever the code above does: first
        -- legs collide on ''. Its leading column also serves every by-day query, so no index of its own.
        CREATE UNIQUE INDEX tickets_number_once
          ON tickets (business_day, issued_service_code, seq, coalesce(transferred_from, ''));
        CREATE INDEX tickets_finished ON tickets (service_code, finished_at) WHERE status = 'done';
        CREATE INDEX tickets_cert_hash ON tickets (applicant_cert_hash) WHERE applicant_cert_hash IS NOT NULL;
        CREATE TABLE windows (
          no INTEGER PRIMARY KEY, state TEXT NOT NULL, staff_no TEXT, current_ticket_id TEXT,
          pause_reason TEXT, normal_since_priority INTEGER NOT NULL, updated_at INTEGER NOT NULL
        );
        -- seq stays monotonic without AUTOINCREMENT because pruning never deletes the newest row.
        CREATE TABLE events (
          seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL
        );
        CREATE TABLE audit (
          id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor_role TEXT NOT NULL, terminal_id TEXT,
          staff_no TEXT, action TEXT NOT NULL, subject TEXT, result TEXT NOT NULL, detail TEXT,
          prev_hash TEXT NOT NULL, hash TEXT NOT NULL
        );
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
          BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能修改或删除'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
          BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能修改或删除'); END;
        CREATE TABLE device_tokens (
          id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, window_no INTEGER,
          name TEXT, created_at INTEGER NOT NULL, revoked_at INTEGER
        );
        CREATE TABLE staff_sessions (
          token_hash TEXT PRIMARY KEY, staff_no TEXT NOT NULL, window_no INTEGER NOT NULL,
          created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER
        );
        CREATE TABLE pin_failures (staff_no TEXT PRIMARY KEY, count INTEGER NOT NULL, locked_until INTEGER);
        CREATE TABLE cases (
          id TEXT PRIMARY KEY, ticket_id TEXT REFERENCES tickets(id), task_code TEXT NOT NULL, task_name TEXT,
          status TEXT NOT NULL, result TEXT NOT NULL, case_type TEXT, window_no INTEGER, staff_no TEXT,
          accept_time INTEGER, finish_time INTEGER, project_no TEXT, payload TEXT NOT NULL
        );
        CREATE INDEX cases_ticket ON cases (ticket_id);
        -- Ratings are append-only: no edit, no delete, not even by a manager. Appeals are new records.
        CREATE TABLE evaluations (
          id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id), assess_number INTEGER NOT NULL,
          level TEXT NOT NULL, reasons TEXT NOT NULL, text TEXT, channel TEXT NOT NULL, window_no INTEGER,
          staff_no TEXT, task_code TEXT, device_id TEXT, created_at INTEGER NOT NULL,
          UNIQUE (case_id, assess_number)
        );
        CREATE TRIGGER evaluations_no_update BEFORE UPDATE ON evaluations
          BEGIN SELECT RAISE(ABORT, '评价只能追加，不能修改或删除'); END;
        CREATE TRIGGER evaluations_no_delete BEFORE DELETE ON evaluations
          BEGIN SELECT RAISE(ABORT, '评价只能追加，不能修改或删除'); END;
      `);
    },
  },
  {
    version: 2,
    name: 'cases with versions and applicant, platform outbox, sync state, catalogue cache',
    up(db) {
      db.exec(`
        ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
        -- Highest case version the platform has accepted (or answered duplicate for); NULL = none yet.
        ALTER TABLE cases ADD COLUMN synced_version INTEGER;
        ALTER TABLE cases ADD COLUMN applicant_name TEXT;
        ALTER TABLE cases ADD COLUMN applicant_cert_type TEXT;
        ALTER TABLE cases ADD COLUMN applicant_cert_enc TEXT;
        ALTER TABLE cases ADD COLUMN applicant_cert_hash TEXT;
        ALTER TABLE cases ADD COLUMN created_at INTEGER;
        CREATE INDEX cases_cert_hash ON cases (applicant_cert_hash) WHERE applicant_cert_hash IS NOT NULL;
        CREATE INDEX cases_project_no ON cases (project_no) WHERE project_no IS NOT NULL;
        -- What must reach the provincial platform, written in the same transaction as the change.
        -- seq is the contract's seq (increases with each record); id is the idempotency key, chosen
        -- once. AUTOINCREMENT: a seq is never reused, even after delivered rows are pruned.
        CREATE TABLE outbox (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('case', 'evaluation')),
          case_id TEXT NOT NULL,
          version INTEGER NOT NULL,
          occurred_at INTEGER NOT NULL,
          data TEXT,
          sealed TEXT,
          state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'rejected')),
          attempts INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          done_at INTEGER,
          duplicate INTEGER NOT NULL DEFAULT 0,
          code TEXT,
          message TEXT
        );
        CREATE INDEX outbox_pending ON outbox (seq) WHERE state = 'pending';
        CREATE INDEX outbox_rejected ON outbox (seq) WHERE state = 'rejected';
        CREATE INDEX outbox_case ON outbox (case_id, seq);
        CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        -- The last good service catalogue, used while the platform is unreachable.
        CREATE TABLE catalogue (
          id INTEGER PRIMARY KEY CHECK (id = 1), etag TEXT, version TEXT, body TEXT NOT NULL,
          fetched_at INTEGER NOT NULL, checked_at INTEGER NOT NULL
        );
      `);
    },
  },
  {
    version: 3,
    name: 'issuing token of a ticket, rating code of a case',
    up(db) {
      db.exec(`
        -- The device token (id) that issued a ticket: a kiosk may undo only its own tickets.
        ALTER TABLE tickets ADD COLUMN issued_by TEXT;
        -- SHA-256 of the case's 扫码评价 code (the code itself is shown once, at 办结, never stored).
        ALTER TABLE cases ADD COLUMN rating_code_hash TEXT;
        CREATE UNIQUE INDEX cases_rating_code ON cases (rating_code_hash) WHERE rating_code_hash IS NOT NULL;
      `);
    },
  },
  {
    version: 4,
    name: 'client address in the audit, admin sessions, PIN failures per staff number and address',
    up(db) {
      db.exec(`
        -- Where a request came from. NULL in older rows and for actions without a request (CLI, timers);
        -- the hash of a row covers the address only when it has one, so older rows keep their hashes.
        ALTER TABLE audit ADD COLUMN address TEXT;
        -- 'window': signed in at a window (window_no); 'admin': the admin console (window_no 0).
        ALTER TABLE staff_sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'window';
        -- The lock is per staff number AND address (hub-api.md), so another address cannot lock
        -- anyone out. Counts of the old shape are dropped: at worst a running count starts over.
        DROP TABLE pin_failures;
        CREATE TABLE pin_failures (
          staff_no TEXT NOT NULL, address TEXT NOT NULL, count INTEGER NOT NULL, locked_until INTEGER,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (staff_no, address)
        ) WITHOUT ROWID;
        CREATE INDEX pin_failures_updated ON pin_failures (updated_at);
      `);
    },
  },
  {
    version: 5,
    name: 'paired terminals: one token per terminal id, last seen, what it can see',
    up(db) {
      db.exec(`
        -- A terminal paired with the hub (hub-api.md v1.1 "Terminals and pairing"). Its roles come
        -- from the hall config's entry for terminal_id, read at each request, never stored here.
        -- token_hash is NULL once revoked; pairing the id again sets a new one.
        CREATE TABLE terminals (
          terminal_id TEXT PRIMARY KEY,
          token_hash TEXT UNIQUE,
          name TEXT,
          paired_at INTEGER NOT NULL,
          revoked_at INTEGER,
          last_seen_at INTEGER,
          address TEXT,
          inventory TEXT,
          inventory_at INTEGER
        );
      `);
    },
  },
  {
    version: 6,
    name: 'outbox records of every kind, and the records each one needs delivered first',
    up(db) {
      // SQLite cannot widen a CHECK or drop NOT NULL in place: the table is rebuilt with its rows,
      // seqs and AUTOINCREMENT high-water mark (a seq must never be reused, see version 2).
      const high = (
        db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").get() as { seq: number } | undefined
      )?.seq;
      db.exec(`
        CREATE TABLE outbox_v6 (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('case', 'evaluation', 'material', 'rectification', 'appointment')),
          -- The case a record belongs to, when it belongs to one (a material or an appointment may not).
          case_id TEXT,
          version INTEGER NOT NULL DEFAULT 1,
          occurred_at INTEGER NOT NULL,
          data TEXT,
          sealed TEXT,
          state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'rejected')),
          attempts INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          done_at INTEGER,
          duplicate INTEGER NOT NULL DEFAULT 0,
          code TEXT,
          message TEXT,
          -- How many records this one needs that are not delivered yet (= its rows in outbox_needs).
          waiting INTEGER NOT NULL DEFAULT 0,
          -- What a record is about, for finding it again: a material's SHA-256.
          ref TEXT
        );
        INSERT INTO outbox_v6 (seq, id, kind, case_id, version, occurred_at, data, sealed, state, attempts,
          created_at, done_at, duplicate, code, message)
        SELECT seq, id, kind, case_id, version, occurred_at, data, sealed, state, attempts,
          created_at, done_at, duplicate, code, message FROM outbox;
        DROP TABLE outbox;
        ALTER TABLE outbox_v6 RENAME TO outbox;
        CREATE INDEX outbox_pending ON outbox (seq) WHERE state = 'pending';
        CREATE INDEX outbox_rejected ON outbox (seq) WHERE state = 'rejected';
        CREATE INDEX outbox_case ON outbox (case_id, seq);
        -- What the relay may send: pending and needing nothing undelivered. Read from its head only.
        CREATE INDEX outbox_ready ON outbox (seq) WHERE state = 'pending' AND waiting = 0;
        CREATE INDEX outbox_ref ON outbox (kind, ref) WHERE ref IS NOT NULL;
        -- record_seq may be sent only after needs_seq was delivered. A row is deleted when its
        -- needed record is delivered, so the table holds only needs still open.
        CREATE TABLE outbox_needs (
          record_seq INTEGER NOT NULL,
          needs_seq INTEGER NOT NULL,
          PRIMARY KEY (record_seq, needs_seq)
        ) WITHOUT ROWID;
        CREATE INDEX outbox_needed_by ON outbox_needs (needs_seq, record_seq);
      `);
      if (high !== undefined) {
        db.prepare("DELETE FROM sqlite_sequence WHERE name = 'outbox'").run();
        db.prepare(
          "INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', max(?, coalesce((SELECT max(seq) FROM outbox), 0)))",
        ).run(high);
      }
      // Until now a rating followed its case by seq order alone; it now needs the case's newest
      // undelivered case record, unless some version of the case already reached the platform.
      db.exec(`
        INSERT INTO outbox_needs (record_seq, needs_seq)
        SELECT e.seq, (SELECT max(c.seq) FROM outbox c WHERE c.case_id = e.case_id AND c.kind = 'case' AND c.state != 'delivered')
        FROM outbox e JOIN cases k ON k.id = e.case_id
        WHERE e.kind = 'evaluation' AND e.state != 'delivered' AND k.synced_version IS NULL
          AND EXISTS (SELECT 1 FROM outbox c WHERE c.case_id = e.case_id AND c.kind = 'case' AND c.state != 'delivered');
        UPDATE outbox SET waiting = 1 WHERE seq IN (SELECT record_seq FROM outbox_needs);
        UPDATE outbox SET state = 'rejected', code = 'DEPENDENCY_REJECTED',
          message = '所属办件的上报被平台拒收，评价暂不上报；更正办件或重试办件记录后一并恢复',
          done_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
        WHERE state = 'pending' AND seq IN (
          SELECT n.record_seq FROM outbox_needs n JOIN outbox p ON p.seq = n.needs_seq WHERE p.state = 'rejected');
        -- A rating's record can be found from its evaluation id while its payload is kept.
        UPDATE outbox SET ref = json_extract(data, '$.evaluationId') WHERE kind = 'evaluation' AND data IS NOT NULL;
        -- The old code for the same situation.
        UPDATE outbox SET code = 'DEPENDENCY_REJECTED' WHERE state = 'rejected' AND code = 'CASE_REJECTED';
      `);
    },
  },
  {
    version: 7,
    name: 'case materials: encrypted files by SHA-256, uploads of the ticket being served, attachments to cases',
    up(db) {
      db.exec(`
        -- One row per distinct file (its SHA-256, lower-case hex); the bytes live AES-GCM sealed in
        -- materials/ under the data folder (file is relative to it), never in the database.
        CREATE TABLE materials (
          sha256 TEXT PRIMARY KEY, bytes INTEGER NOT NULL, content_type TEXT NOT NULL, file TEXT NOT NULL,
          stored_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        -- What a window uploaded while serving a ticket; /finish may name only these.
        CREATE TABLE material_uploads (
          ticket_id TEXT NOT NULL, sha256 TEXT NOT NULL REFERENCES materials(sha256), name TEXT NOT NULL,
          window_no INTEGER NOT NULL, staff_no TEXT, uploaded_at INTEGER NOT NULL,
          PRIMARY KEY (ticket_id, sha256)
        ) WITHOUT ROWID;
        CREATE INDEX material_uploads_sha256 ON material_uploads (sha256);
        CREATE INDEX material_uploads_at ON material_uploads (uploaded_at);
        -- A case's materials with their names from the catalogue.
        CREATE TABLE case_materials (
          case_id TEXT NOT NULL REFERENCES cases(id), sha256 TEXT NOT NULL REFERENCES materials(sha256),
          name TEXT NOT NULL, attached_at INTEGER NOT NULL,
          PRIMARY KEY (case_id, sha256)
        ) WITHOUT ROWID;
        CREATE INDEX case_materials_sha256 ON case_materials (sha256);
      `);
    },
  },
  {
    version: 8,
    name: '差评整改: items, the ratings they hold, their history; raised alarms; the alarm webhook queue',
    up(db) {
      db.exec(`
        -- One item per case (hub-api.md v1.1 "差评整改"): a later bad rating of the case joins it.
        CREATE TABLE rectifications (
          id TEXT PRIMARY KEY,
          case_id TEXT NOT NULL UNIQUE,
          window_no INTEGER,
          staff_no TEXT,
          task_code TEXT,
          service_code TEXT,
          status TEXT NOT NULL,
          opened_at INTEGER NOT NULL,
          due_date TEXT NOT NULL,
          due_at INTEGER NOT NULL,
          -- JSON list of the years the deadline was counted without (weekends only), usually [].
          calendar_missing TEXT NOT NULL DEFAULT '[]',
          finished_at INTEGER,
          revisit_contacted INTEGER,
          revisit_level TEXT,
          -- JSON list of the alarm keys already raised ('due_soon:3', 'overdue', 'calendar_missing').
          alarms TEXT NOT NULL DEFAULT '[]',
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX rectifications_open ON rectifications (status, due_at);
        CREATE TABLE rectification_evaluations (
          evaluation_id TEXT PRIMARY KEY,
          rectification_id TEXT NOT NULL REFERENCES rectifications (id),
          added_at INTEGER NOT NULL
        );
        CREATE INDEX rectification_evaluations_item ON rectification_evaluations (rectification_id);
        -- Every step, append-only: who (staff number), when, from what to what, the note.
        CREATE TABLE rectification_history (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          rectification_id TEXT NOT NULL REFERENCES rectifications (id),
          at INTEGER NOT NULL,
          from_status TEXT,
          to_status TEXT NOT NULL,
          staff_no TEXT,
          note TEXT NOT NULL,
          revisit TEXT
        );
        CREATE INDEX rectification_history_item ON rectification_history (rectification_id, seq);
        -- Alarms of things that are not items (承诺件, long waits), raised once per key.
        CREATE TABLE raised_alarms (key TEXT PRIMARY KEY, at INTEGER NOT NULL);
        -- Alarms waiting to be POSTed to the hall's webhook; kept across restarts until sent.
        CREATE TABLE alarm_webhook (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          body TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_at INTEGER NOT NULL,
          state TEXT NOT NULL DEFAULT 'pending',
          last_error TEXT,
          sent_at INTEGER
        );
        CREATE INDEX alarm_webhook_pending ON alarm_webhook (state, next_at);
      `);
    },
  },
  {
    version: 9,
    name: 'appointment register: bookings with sealed ID numbers, closed slots',
    up(db) {
      db.exec(`
        -- One booking (docs/appointments.md). ID numbers as on tickets: sealed (AES-GCM) and a keyed
        -- hash for lookups. opens_at/closes_at: the check-in window, fixed when booked.
        CREATE TABLE appointments (
          id TEXT PRIMARY KEY,
          code TEXT NOT NULL UNIQUE,
          service_code TEXT NOT NULL,
          day TEXT NOT NULL,
          slot_start INTEGER NOT NULL,
          slot_end INTEGER NOT NULL,
          opens_at INTEGER NOT NULL,
          closes_at INTEGER NOT NULL,
          applicant_name TEXT,
          applicant_cert_type TEXT,
          applicant_cert_enc TEXT,
          applicant_cert_hash TEXT,
          phone_enc TEXT,
          status TEXT NOT NULL CHECK (status IN ('booked', 'checked_in', 'cancelled', 'no_show')),
          source TEXT NOT NULL,
          platform_id TEXT UNIQUE,
          booked_at INTEGER NOT NULL,
          changed_at INTEGER,
          ticket_id TEXT
        );
        CREATE INDEX appointments_slot ON appointments (service_code, slot_start, status);
        CREATE INDEX appointments_day ON appointments (day);
        CREATE INDEX appointments_person ON appointments (applicant_cert_hash, day) WHERE applicant_cert_hash IS NOT NULL;
        CREATE INDEX appointments_open ON appointments (closes_at) WHERE status = 'booked';
        -- The hall's own bookings: one per person, service and day, also for a second process.
        CREATE UNIQUE INDEX appointments_one_per_person ON appointments (service_code, day, applicant_cert_hash)
          WHERE source != 'platform' AND status IN ('booked', 'checked_in') AND applicant_cert_hash IS NOT NULL;
        CREATE TABLE appointment_closures (
          id TEXT PRIMARY KEY,
          service_code TEXT,
          day TEXT NOT NULL,
          time_from TEXT,
          time_to TEXT,
          reason TEXT NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX appointment_closures_day ON appointment_closures (day);
      `);
    },
  },
  {
    version: 10,
    name: 'ticket codes: the unguessable code a citizen follows a ticket with from a phone',
    up(db) {
      db.exec(`
        -- hub-api.md v1.1 "The citizen's phone": only the code's hash is kept, so the database
        -- (a backup, a support copy) cannot be used to follow anyone's ticket. One code per ticket;
        -- a transferred ticket is followed through its transferred_to chain.
        CREATE TABLE ticket_codes (
          code_hash TEXT PRIMARY KEY,
          ticket_id TEXT NOT NULL UNIQUE,
          business_day TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX ticket_codes_day ON ticket_codes (business_day);
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
