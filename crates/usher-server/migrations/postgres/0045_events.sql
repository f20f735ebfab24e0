-- Events (DESIGN §9): an admin's booked service (Eid prayers in two halls), with a booking
-- window, the largest party one reservation may book and the grace before the start from
-- which its passes admit (`nb` = starts_at - grace_minutes * 60). A reservation is a
-- `registrations` row with this `event_id` (migration 0035). Closed events take no bookings.
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    booking_opens_at BIGINT NOT NULL,
    booking_closes_at BIGINT NOT NULL,
    largest_party BIGINT NOT NULL,
    grace_minutes BIGINT NOT NULL,
    closed_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX events_starts_at ON events (starts_at);

-- Each entrance of an event with its capacity (places), in the admin's order.
CREATE TABLE event_entrances (
    event_id TEXT NOT NULL REFERENCES events (id),
    entrance TEXT NOT NULL,
    capacity BIGINT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (event_id, entrance)
);

-- Arrivals are the sign-ins of a reservation's pass: found by the pass.
CREATE INDEX signins_pass_id ON signins (pass_id);
