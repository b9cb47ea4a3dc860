// Procurement: bids pages (registered lazily).
export {};
