// Procurement: projects pages (registered lazily).
export {};
