//! `usher` / `usher kiosk`: start the kiosk window with its scanning pipeline.

use crate::camera::{DemoSource, DirSource, FrameSource, SourceSpec};
use crate::clock::{Clock, FlooredClock, SystemClock, raise_floor};
use crate::gate::{LedgerLockoutStore, MemoryLockoutStore, PinGate};
use crate::kiosk::{CameraStatus, DEBOUNCE_MS, Kiosk};
use crate::pipeline::{Pipeline, ScanSetup, ToUi};
use crate::settings::{CameraChoice, Settings};
use crate::sync::{HttpTransport, SyncHandle, Syncer};
use crate::venue::{Overrides, Venue};
use crate::worker::Worker;
use anyhow::bail;
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicI64;
use std::time::Instant;

/// `usher kiosk` (also plain `usher`).
#[derive(Debug, Clone, Default, Args)]
pub struct KioskArgs {
    /// The settings file [default: ./settings.xml].
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// Where frames come from: camera, camera:N (index or name), dir:PATH, demo
    /// [default: the settings' camera; the demo feed when no camera is found].
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<SourceSpec>,
    /// A window instead of full screen (development).
    #[arg(long)]
    pub windowed: bool,
    /// Frames a second for dir: and demo sources [default: 30 for dir:, 10 for demo].
    #[arg(long, value_name = "FPS")]
    pub fps: Option<f64>,
    /// No window: run the scanning pipeline (and sync) and print each verdict after its commit.
    #[arg(long, conflicts_with = "windowed")]
    pub headless: bool,
}

/// Everything the kiosk runs with, resolved from settings and arguments.
pub struct Prepared {
    /// The settings.
    pub settings: Settings,
    /// The scan thread's setup.
    pub setup: ScanSetup,
    /// The clock seam.
    pub clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared").finish_non_exhaustive()
    }
}

/// Loads settings (refusing bad ones), opens the venue and the frame source.
pub fn prepare(args: &KioskArgs, clock: Arc<dyn Clock>) -> anyhow::Result<Prepared> {
    let venue = open_venue(args)?;
    let settings = venue.settings.clone();
    let (source, status, demo) = open_source(args, &settings, &clock)?;
    Ok(Prepared {
        setup: ScanSetup {
            source,
            status,
            venue,
            demo,
            clock: Arc::clone(&clock),
            debounce_ms: DEBOUNCE_MS,
            on_signin: None,
            // Headless, nobody can answer the party prompt: the party's default counts.
            party_prompt: !args.headless,
            // The window adds the preview's publisher when it shows one (`start`).
            preview: None,
        },
        settings,
        clock,
    })
}

/// The venue of the settings file, refusing settings a kiosk must not run with; without a
/// settings file, with `--source demo`, the demo feed's venue, which records nothing.
fn open_venue(args: &KioskArgs) -> anyhow::Result<Venue> {
    let Some(file) = crate::venue::settings_file(args.settings.as_deref()) else {
        if args.source != Some(SourceSpec::Demo) {
            bail!("no ./settings.xml here; give --settings FILE (or try --source demo)");
        }
        let venue = Venue::demo()?;
        for w in &venue.settings.warnings {
            eprintln!("usher: warning: {w}");
        }
        eprintln!("usher: no settings.xml: running the demo feed only, nothing is recorded");
        return Ok(venue);
    };
    let settings = Settings::load(&file)?;
    let refusals = settings.refusals();
    if !refusals.is_empty() {
        for w in &settings.warnings {
            eprintln!("usher: warning: {w}");
        }
        for r in &refusals {
            eprintln!("usher: {r}");
        }
        bail!(
            "the kiosk refuses to start with {} (fix the above)",
            settings.file.display()
        );
    }
    let venue = Venue::open(settings, &Overrides::default())?;
    for w in &venue.warnings {
        eprintln!("usher: warning: {w}");
    }
    if venue.settings.admin_pin.is_none() {
        eprintln!(
            "usher: warning: no <adminPin> in settings: anyone can open the admin panel and quit"
        );
    }
    Ok(venue)
}

/// A frame source, the camera status to show first, and the demo feed's venue when the
/// source is the demo feed.
type Source = (Box<dyn FrameSource>, CameraStatus, Option<Venue>);

/// The frame source `--source` names (else the settings' camera; the demo feed when no
/// camera opens).
fn open_source(
    args: &KioskArgs,
    settings: &Settings,
    clock: &Arc<dyn Clock>,
) -> anyhow::Result<Source> {
    let demo = |status: CameraStatus| -> anyhow::Result<Source> {
        let source = DemoSource::new(Arc::clone(clock), args.fps.unwrap_or(10.0));
        Ok((Box::new(source), status, Some(Venue::demo()?)))
    };
    match args.source.clone().unwrap_or(SourceSpec::Camera(None)) {
        SourceSpec::Demo => demo(CameraStatus::Demo),
        SourceSpec::Dir(dir) => {
            let source = DirSource::open(&dir, args.fps.unwrap_or(30.0))?;
            let status = CameraStatus::Folder(source.name());
            Ok((Box::new(source), status, None))
        }
        SourceSpec::Camera(choice) => {
            match open_camera(choice.unwrap_or_else(|| settings.camera.clone())) {
                Ok(camera) => {
                    let status = CameraStatus::Live(camera.name());
                    Ok((camera, status, None))
                }
                Err(e) => {
                    eprintln!("usher: {e}: starting on the demo feed");
                    demo(CameraStatus::DemoNoCamera)
                }
            }
        }
    }
}

#[cfg(feature = "camera")]
fn open_camera(choice: CameraChoice) -> anyhow::Result<Box<dyn FrameSource>> {
    crate::camera::CameraSource::open(choice.clone())
        .map(|c| Box::new(c) as Box<dyn FrameSource>)
        .map_err(|e| anyhow::anyhow!("camera {choice:?}: {e}"))
}

#[cfg(not(feature = "camera"))]
fn open_camera(_choice: CameraChoice) -> anyhow::Result<Box<dyn FrameSource>> {
    bail!("built without the camera feature")
}

/// Starts the uploader, over its own connection to the venue's ledger, when settings name a
/// server and a device token.
fn start_sync(
    venue: &Venue,
    clock: Arc<dyn Clock>,
    floor: Arc<FlooredClock>,
) -> anyhow::Result<Option<SyncHandle>> {
    let (Some(url), Some(token)) = (&venue.settings.server_url, &venue.settings.device_token)
    else {
        return Ok(None);
    };
    let transport = HttpTransport::new(url, token.clone())?;
    let sync = Syncer::new(venue.connection()?, transport, clock)
        .with_clock_floor(floor)
        .with_entrance(venue.door.entrance.clone());
    Ok(Some(crate::sync::spawn(sync)?))
}

/// Starts the retention purge (now, then hourly) over its own connection to the venue's
/// ledger; none for the demo feed's venue, which records nothing.
fn start_retention(venue: &Venue, clock: Arc<dyn Clock>) -> anyhow::Result<Option<Worker>> {
    if venue.is_demo() {
        return Ok(None);
    }
    let days = venue.settings.retention_days;
    let retention = crate::retention::Retention::new(venue.connection()?, clock, days);
    Ok(Some(crate::retention::spawn(
        retention,
        crate::retention::EVERY,
    )?))
}

/// Starts the automatic sign-out (now, then once a minute) on the `usher-door` thread over
/// its own connection to the venue's ledger; none for the demo feed's venue, which records
/// nothing, nor for a door with neither a closing time nor a longest stay.
fn start_sign_out(venue: &Venue, clock: Arc<dyn Clock>) -> anyhow::Result<Option<Worker>> {
    let Some(sign_out) = venue.sign_out(clock)? else {
        return Ok(None);
    };
    Ok(Some(crate::signout::spawn(
        sign_out,
        crate::signout::EVERY,
    )?))
}

/// The PIN gate (admin and volunteer PINs), its wrong PINs and lockout kept in the venue's ledger (over its own
/// connection) so a restart keeps them; in memory for the demo feed's venue, which records
/// nothing.
fn pin_gate(venue: &Venue, settings: &Settings, clock: Arc<dyn Clock>) -> anyhow::Result<PinGate> {
    let (pin, volunteer) = (settings.admin_pin.clone(), settings.volunteer_pin.clone());
    if venue.is_demo() {
        let store = Box::new(MemoryLockoutStore::default());
        return Ok(PinGate::with_pins(pin, volunteer, store));
    }
    let store = LedgerLockoutStore::open(venue.connection()?, clock)?;
    Ok(PinGate::with_pins(pin, volunteer, Box::new(store)))
}

/// What a running kiosk is made of, window or not.
struct Started {
    settings: crate::settings::Settings,
    pipeline: Pipeline,
    sync: Option<SyncHandle>,
    _retention: Option<Worker>,
    _sign_out: Option<Worker>,
    clock: Arc<dyn Clock>,
    floor: Arc<FlooredClock>,
    status: CameraStatus,
    gate: PinGate,
    preview: Option<crate::preview::Slot>,
}

/// The clock floor kept in the kiosk's ledger (`latest_server_time`).
struct LedgerFloor(PathBuf);

impl crate::clock::FloorStore for LedgerFloor {
    fn forget(&self) {
        let forgot =
            crate::ledger::SqliteLedger::open(&self.0).and_then(|mut l| l.trust_local_clock());
        if let Err(e) = forgot {
            tracing::error!("cannot forget the stored time floor: {e}");
        }
    }
}

/// Settings, ledger, clock floor, sync thread and scanning pipeline.
fn start(args: &KioskArgs, notify: Arc<dyn Fn() + Send + Sync>) -> anyhow::Result<Started> {
    let floor = Arc::new(AtomicI64::new(i64::MIN));
    let floored = Arc::new(FlooredClock::new(Arc::new(SystemClock), Arc::clone(&floor)));
    let Prepared {
        settings,
        mut setup,
        clock,
    } = prepare(args, Arc::clone(&floored) as Arc<dyn Clock>)?;
    floored.keep_in(Arc::new(LedgerFloor(settings.ledger_file.clone())));
    raise_floor(&floor, setup.venue.ledger.latest_time_seen()?);
    let sync = start_sync(&setup.venue, Arc::clone(&clock), Arc::clone(&floored))?;
    // The plain system clock: a floor raised by a server must never widen the purge.
    let retention = start_retention(&setup.venue, Arc::new(SystemClock))?;
    // The pipeline's clock: stays close by the time passes are judged with.
    let sign_out = start_sign_out(&setup.venue, Arc::clone(&clock))?;
    let gate = pin_gate(&setup.venue, &settings, Arc::clone(&clock))?;
    setup.on_signin = sync.as_ref().map(SyncHandle::waker);
    // The camera preview, for a window that shows one.
    let preview = (!args.headless && settings.preview_placement.is_some())
        .then(crate::preview::Slot::default);
    setup.preview = preview
        .clone()
        .map(|slot| crate::preview::Publisher::new(slot, settings.mirror_preview));
    let status = setup.status.clone();
    let pipeline = Pipeline::start(setup, settings.screens_dir.clone(), settings.sound, notify)?;
    Ok(Started {
        settings,
        pipeline,
        sync,
        _retention: retention,
        _sign_out: sign_out,
        clock,
        floor: floored,
        status,
        gate,
        preview,
    })
}

/// `usher kiosk --headless`: the pipeline without a window, one line per verdict after its
/// commit (`UNIX<TAB>VERDICT<TAB>REASON`), until killed.
pub fn run_headless(args: KioskArgs) -> anyhow::Result<bool> {
    let mut started = start(&args, Arc::new(|| {}))?;
    let (events, _commands) = started.pipeline.take_channels();
    let mut out = std::io::stdout().lock();
    for event in events {
        if let ToUi::Verdict(v) = event {
            use std::io::Write as _;
            writeln!(
                out,
                "{}\t{}\t{}",
                v.at,
                v.kind.name(),
                usher_core::display::clean(&v.reason)
            )?;
            out.flush()?;
        }
    }
    drop(started.sync.take());
    started.pipeline.shutdown();
    Ok(true)
}

/// Runs the kiosk until the admin quits.
pub fn run_kiosk(args: KioskArgs) -> anyhow::Result<bool> {
    if args.headless {
        return run_headless(args);
    }
    let waker = crate::ui::window::Waker::default();
    let notify = {
        let waker = waker.clone();
        Arc::new(move || waker.wake())
    };
    let Started {
        settings,
        mut pipeline,
        sync,
        _retention,
        _sign_out,
        clock,
        floor,
        status,
        gate,
        preview,
    } = start(&args, notify)?;
    let kiosk = Kiosk::new(settings.result_seconds, gate, status).with_language(settings.language);
    let origin = Instant::now();
    let wall_clock = Arc::clone(&clock);
    let (events, commands) = pipeline.take_channels();
    let ui = crate::ui::KioskUi::new(
        kiosk,
        events,
        commands,
        Box::new(move || origin.elapsed().as_millis() as u64),
        Box::new(move || wall_clock.now().unix),
        !args.windowed,
    )
    .with_sync(sync.as_ref().map(|h| Arc::clone(&h.status)))
    .with_clock_floor(floor)
    .with_manual_path(settings.undo_minutes, settings.register_url.as_deref());
    let ui = match (preview, settings.preview_placement) {
        (Some(slot), Some(placement)) => ui.with_preview(slot, placement),
        _ => ui,
    };
    let app = crate::ui::KioskApp::new(ui, pipeline);
    crate::ui::window::run(app, args.windowed, waker)?;
    drop(sync);
    Ok(true)
}
