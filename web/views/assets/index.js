// SPDX-License-Identifier: MIT
// Fixed assets pages: each file registers its own.
import { registerPoolPages } from './pool.js';
import { registerDisposalPages } from './disposals.js';
import { registerTransferPages } from './transfers.js';

registerPoolPages();
registerDisposalPages();
registerTransferPages();
