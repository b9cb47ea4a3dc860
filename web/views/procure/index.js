// Procurement pages, each file registering its own pages lazily: the
// project's life (project page and timeline, savings, open data), the sealed
// bids (supplier portal, opening ceremony) and the committee (the draw,
// expert scoring).
import './projects.js';
import './bids.js';
import './committee.js';
