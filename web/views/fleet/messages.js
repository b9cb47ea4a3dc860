// The fleet's own reasons (the API words them in English) in the UI's
// language, with their numbers, plates and request numbers: consulted by
// lib/api.js problemText() and fieldText() for errors about the fleet's
// collections, until the server's answers carry keys (err.fleet.* in web/i18n).
import { t } from '../../lib/i18n.js';
import { enumText } from '../../lib/fields.js';
import { registerMessages } from '../../lib/registry.js';

const MESSAGES = [
  [/^vehicle (.+) is dispatched to request (\d+) at an overlapping time$/, 'fl.srv.vehicleBusy', ['plate', 'id']],
  [/^driver (.+) is dispatched to request (\d+) at an overlapping time$/, 'fl.srv.driverBusy', ['name', 'id']],
  [/^vehicle (.+) is (in repair|to be disposed of|disposed of)$/, 'fl.srv.vehicleOut', ['plate', 'state']],
  [/^has (\d+) seats; the request needs (\d+)$/, 'fl.srv.seats', ['seats', 'need']],
  [/^(.+) is not an active driver$/, 'fl.srv.inactive', ['name']],
  [/^(.+)'s licence is valid until (\S+), before the trip ends$/, 'fl.srv.licenceExpires', ['name', 'date']],
  [/^licence class (\S+) may not drive (\S+) \((\d+) seats(, manual)?\)$/, 'fl.srv.licenceClass', ['licence', 'plate', 'seats']],
  [/^the request is not approved yet$/, 'fl.srv.notApproved', []],
  [/^a (\w+) request cannot be dispatched$/, 'fl.srv.cannotDispatch', ['status']],
  [/^a (\w+) request cannot be cancelled$/, 'fl.srv.cannotCancel', ['status']],
  [/^only a submitted request can be (approved|rejected) \(it is (\w+)\)$/, 'fl.srv.notSubmitted', ['action', 'status']],
  [/^nobody approves their own/, 'fl.srv.ownRequest', []],
  [/^must be after start_at$/, 'fl.srv.endAfterStart', []],
  [/^a request covers at most 31 days$/, 'fl.srv.maxDays', []],
  [/^must be at least (\d+) km, the vehicle's last reading$/, 'fl.srv.startKm', ['n']],
  [/^must be at least (\d+) km, the odometer when it left$/, 'fl.srv.endKm', ['n']],
  [/^more than 10000 km on one trip$/, 'fl.srv.tooFar', []],
  [/^is required: the trip was not started$/, 'fl.srv.startKmRequired', []],
  [/^was recorded when the trip started$/, 'fl.srv.startKmFixed', []],
  [/^only a planned trip can start \(it is (\w+)\)$/, 'fl.srv.cannotStart', ['status']],
  [/^a (\w+) trip cannot be closed$/, 'fl.srv.cannotClose', ['status']],
  [/^the vehicle is (on another trip|in repair|out of service)$/, 'fl.srv.vehicleNotFree', ['state']],
  [/^the trip is (under way|\w+): the driver closes it instead$/, 'fl.srv.tripUnderWay', []],
  [/^does not meet the renewal conditions in (\d+)$/, 'fl.srv.notEligible', ['year']],
  [/^a slip is printed once the request is dispatched/, 'fl.srv.noSlip', []],
  [/^only an available vehicle goes to repair/, 'fl.srv.repairOnlyAvailable', []],
  [/^the vehicle is not in repair/, 'fl.srv.notInRepair', []],
  [/^a trip request can be changed only until it is approved/, 'fl.srv.noEdit', []],
];

registerMessages('fleet', (msg) => {
  for (const [re, key, names] of MESSAGES) {
    const m = re.exec(msg);
    if (m) {
      const params = {};
      names.forEach((n, i) => { params[n] = m[i + 1]; });
      if (params.status) params.status = enumText('trip_requests', 'status', params.status);
      return t(key, params);
    }
  }
  return null;
});
