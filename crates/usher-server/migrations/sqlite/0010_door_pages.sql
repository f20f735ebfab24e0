-- The door's pages (DESIGN §8): "Inside now" and the roll call show each kiosk's last upload,
-- the newest `received_at` of its sign-ins and exits. Without these the page, which reloads
-- every 30 seconds, read every sign-in of the retention period (about 330 ms for 200,000 on
-- SQLite); with them it reads one index entry per kiosk.
CREATE INDEX signins_device_received ON signins (device_ref, received_at);
CREATE INDEX exits_device_received ON exits (device_ref, received_at);
