/** The drivers and simulators of the families that live in other modules: ID card reader, printer. */
import type { ExternalDrivers } from './device-service.js';
import { idcardDriver, idcardSimulator } from './idcard-device.js';
import { printerDriver, printerSimulator } from './printer-device.js';

export function defaultDrivers(): ExternalDrivers {
  return {
    idcard: idcardDriver(),
    idcardSimulator: (link) => idcardSimulator(link),
    printer: printerDriver(),
    printerSimulator: (link) => printerSimulator(link),
  };
}
