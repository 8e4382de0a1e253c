/**
 * The ID card reader family: the SAM_V reading loop (drivers/idcard) on the device's link; its
 * `card` / `removed` / `health` events become the service's card events and device status. The
 * photo never leaves the loop: only the text fields are passed on.
 */

import { CardReaderSimulator } from '../../../drivers/idcard/card-reader-simulator.js';
import { CardReadingLoop } from '../../../drivers/idcard/card-reading-loop.js';
import type { CardText } from '../../../drivers/idcard/card-text.js';
import type { ByteLink } from '../../../drivers/transport/byte-link.js';
import { type DeviceFamily, familyBasics } from '../device-family.js';
import type { CardData } from '../types.js';

export function toCardData(t: CardText): CardData {
  return {
    name: t.name,
    gender: t.gender,
    ...(t.nation ? { nation: t.nation } : {}),
    birthDate: /^\d{4}-\d{2}-\d{2}$/.test(t.birthDate) ? t.birthDate : null,
    ...(t.address ? { address: t.address } : {}),
    certNo: t.idNumber,
    certType: t.cardType,
    ...(t.authority ? { authority: t.authority } : {}),
    validFrom: t.validFrom,
    validTo: t.validTo,
  };
}

export const idcardFamily: DeviceFamily<'idcard'> = {
  ...familyBasics('idcard'),
  testActions: ['read', 'status'],
  // SAM_V readers talk at 115200 unless told otherwise.
  defaultBaud: 115200,
  open(link, device, sink) {
    // Only the byte side: the service itself watches the link's state.
    const bytes: ByteLink = { write: (d) => link.write(d), onData: (l) => link.onData(l), close: async () => {} };
    const loop = new CardReadingLoop(bytes, {
      intervalMs: device.options.pollMs ?? 300,
      // A slow line gets reply timeouts that follow its wire time (drivers/idcard/sam-reader.ts).
      ...(device.transport.type === 'serial' && device.transport.baud ? { baudRate: device.transport.baud } : {}),
    });
    // For the admin's read test: the reader's SAM id and the type of the card lying there — the
    // card's contents are never kept here.
    let samId: string | null = null;
    let cardType: CardData['certType'] | null = null;
    loop.on('sam', (s) => {
      samId = s.samId;
    });
    loop.on('health', (h) => sink.status(h.state === 'online' ? 'ok' : h.state, h.detail));
    loop.on('card', (e) => {
      const card = toCardData(e.text);
      cardType = card.certType;
      sink.card(card);
    });
    loop.on('removed', () => {
      cardType = null;
      sink.cardRemoved();
    });
    loop.start();
    return {
      stop: () => loop.stop(),
      refresh: () => loop.tick(),
      probe: () => ({ samId, cardPresent: loop.cardPresent, cardType: loop.cardPresent ? cardType : null }),
    };
  },
  simulator(far) {
    const sim = new CardReaderSimulator(far);
    return { sim, stop: () => sim.close() };
  },
};
