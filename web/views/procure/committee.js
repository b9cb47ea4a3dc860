// Procurement: committee pages (registered lazily).
export {};
