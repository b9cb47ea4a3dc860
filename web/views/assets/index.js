// SPDX-License-Identifier: MIT
// Fixed assets 固定资产: the module's pages.
import './stocktake.js';
