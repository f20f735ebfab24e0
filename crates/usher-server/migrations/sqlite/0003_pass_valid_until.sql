-- Until when a pass is valid (from the kiosk's upload), so its first use is kept as long as
-- `once` needs it, not only for the retention period. NULL: not known (older kiosks).
ALTER TABLE passes ADD COLUMN valid_until INTEGER;
