-- Place leases (DESIGN §8, ARCHITECTURE.md "Capacity across kiosks"): per kiosk, the places of
-- the venue's capacity it was last granted and what it last reported (the lease it obeys, its
-- own heads inside, its demand since its previous fetch), so the server never grants a place
-- another kiosk may still be using. Written only by the presence fetch, one writer at a time.
CREATE TABLE place_leases (
    device_ref BIGINT PRIMARY KEY,
    entrance TEXT NOT NULL,
    granted BIGINT NOT NULL,
    held BIGINT NOT NULL,
    inside BIGINT NOT NULL,
    demand BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
