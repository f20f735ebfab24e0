//! `usher` / `usher kiosk`: start the kiosk window with its scanning pipeline.

use crate::camera::{DemoSource, DirSource, FrameSource, SourceSpec};
use crate::clock::{Clock, FlooredClock, SystemClock, raise_floor};
use crate::kiosk::{CameraStatus, DEBOUNCE_MS, Kiosk};
use crate::ledger::SqliteLedger;
use crate::scanner::{Judge, Pipeline, ScanSetup, ToUi};
use crate::settings::{CameraChoice, Settings};
use crate::sync::{HttpTransport, SyncHandle, Syncer};
use anyhow::bail;
use clap::Args;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicI64;
use std::sync::{Arc, OnceLock};
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

/// Loads settings (refusing bad ones), opens the ledger and the frame source.
pub fn prepare(args: &KioskArgs, clock: Arc<dyn Clock>) -> anyhow::Result<Prepared> {
    let file = args
        .settings
        .clone()
        .unwrap_or_else(|| PathBuf::from("settings.xml"));
    let demo_only = args.settings.is_none() && !file.exists();
    if demo_only && args.source != Some(SourceSpec::Demo) {
        bail!("no ./settings.xml here; give --settings FILE (or try --source demo)");
    }
    let settings = if demo_only {
        Settings::from_raw(Path::new("settings.xml"), &[])?
    } else {
        Settings::load(&file)?
    };
    for w in &settings.warnings {
        eprintln!("usher: warning: {w}");
    }
    let real = if demo_only {
        eprintln!("usher: no settings.xml: running the demo feed only, nothing is recorded");
        Judge::demo()?
    } else {
        let refusals = settings.refusals();
        if !refusals.is_empty() {
            for r in &refusals {
                eprintln!("usher: {r}");
            }
            bail!(
                "the kiosk refuses to start with {} (fix the above)",
                settings.file.display()
            );
        }
        if settings.admin_pin.is_none() {
            eprintln!(
                "usher: warning: no <adminPin> in settings: anyone can open the admin panel and quit"
            );
        }
        Judge::open(&settings, None, None)?
    };
    let spec = args.source.clone().unwrap_or(SourceSpec::Camera(None));
    let demo = |status: CameraStatus| -> anyhow::Result<(Box<dyn FrameSource>, CameraStatus, Option<Judge>)> {
        let fps = args.fps.unwrap_or(10.0);
        Ok((
            Box::new(DemoSource::new(Arc::clone(&clock), fps)),
            status,
            Some(Judge::demo()?),
        ))
    };
    let (source, status, demo_judge): (Box<dyn FrameSource>, CameraStatus, Option<Judge>) =
        match spec {
            SourceSpec::Demo => demo(CameraStatus::Demo)?,
            SourceSpec::Dir(dir) => {
                let s = DirSource::open(&dir, args.fps.unwrap_or(30.0))?;
                let status = CameraStatus::Folder(s.name());
                (Box::new(s), status, None)
            }
            SourceSpec::Camera(choice) => {
                let choice = choice.unwrap_or_else(|| settings.camera.clone());
                match open_camera(choice) {
                    Ok(cam) => {
                        let status = CameraStatus::Live(cam.name());
                        (cam, status, None)
                    }
                    Err(e) => {
                        eprintln!("usher: {e}: starting on the demo feed");
                        demo(CameraStatus::DemoNoCamera)?
                    }
                }
            }
        };
    Ok(Prepared {
        setup: ScanSetup {
            source,
            status,
            real,
            demo: demo_judge,
            clock: Arc::clone(&clock),
            debounce_ms: DEBOUNCE_MS,
            on_signin: None,
        },
        settings,
        clock,
    })
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

/// Starts the uploader when settings name a server and a device token.
fn start_sync(
    settings: &crate::settings::Settings,
    clock: Arc<dyn Clock>,
    floor: Arc<AtomicI64>,
) -> anyhow::Result<Option<SyncHandle>> {
    let (Some(url), Some(token)) = (&settings.server_url, &settings.device_token) else {
        return Ok(None);
    };
    let protection = crate::contact::Protection::for_settings(settings, &settings.ledger_file)?;
    let ledger = SqliteLedger::open_with(&settings.ledger_file, protection)?;
    let transport = HttpTransport::new(url, token.clone())?;
    let sync = Syncer::new(ledger, transport, clock).with_clock_floor(floor);
    Ok(Some(crate::sync::spawn(sync)?))
}

/// Starts the retention purge (now, then hourly) over its own ledger connection.
fn start_retention(
    settings: &crate::settings::Settings,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<crate::retention::RetentionHandle> {
    let protection = crate::contact::Protection::for_settings(settings, &settings.ledger_file)?;
    let ledger = SqliteLedger::open_with(&settings.ledger_file, protection)?;
    let retention = crate::retention::Retention::new(ledger, clock, settings.retention_days);
    Ok(crate::retention::spawn(retention, crate::retention::EVERY)?)
}

/// What a running kiosk is made of, window or not.
struct Started {
    settings: crate::settings::Settings,
    pipeline: Pipeline,
    sync: Option<SyncHandle>,
    _retention: Option<crate::retention::RetentionHandle>,
    clock: Arc<dyn Clock>,
    status: CameraStatus,
}

/// Settings, ledger, clock floor, sync thread and scanning pipeline.
fn start(args: &KioskArgs, notify: Arc<dyn Fn() + Send + Sync>) -> anyhow::Result<Started> {
    let floor = Arc::new(AtomicI64::new(i64::MIN));
    let clock: Arc<dyn Clock> =
        Arc::new(FlooredClock::new(Arc::new(SystemClock), Arc::clone(&floor)));
    let Prepared {
        settings,
        mut setup,
        clock,
    } = prepare(args, clock)?;
    raise_floor(&floor, setup.real.ledger.latest_time_seen()?);
    let sync = start_sync(&settings, Arc::clone(&clock), floor)?;
    // The demo feed without settings records nothing: nothing to purge.
    let demo_only = args.settings.is_none() && !Path::new("settings.xml").exists();
    let retention = if demo_only {
        None
    } else {
        Some(start_retention(&settings, Arc::clone(&clock))?)
    };
    setup.on_signin = sync.as_ref().map(SyncHandle::waker);
    let status = setup.status.clone();
    let pipeline = Pipeline::start(setup, settings.screens_dir.clone(), settings.sound, notify)?;
    Ok(Started {
        settings,
        pipeline,
        sync,
        _retention: retention,
        clock,
        status,
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
    let ctx_cell: Arc<OnceLock<egui::Context>> = Arc::new(OnceLock::new());
    let notify = {
        let cell = Arc::clone(&ctx_cell);
        Arc::new(move || {
            if let Some(ctx) = cell.get() {
                ctx.request_repaint();
            }
        })
    };
    let Started {
        settings,
        mut pipeline,
        sync,
        _retention,
        clock,
        status,
    } = start(&args, notify)?;
    let kiosk = Kiosk::new(
        settings.result_seconds,
        settings.admin_pin.as_ref().map(usher_core::Secret::expose),
        status,
    );
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
    .with_sync(sync.as_ref().map(|h| Arc::clone(&h.status)));
    let app = crate::ui::KioskApp::new(ui, pipeline);
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Usher")
        .with_app_id("usher");
    viewport = if args.windowed {
        viewport.with_inner_size([1280.0, 720.0])
    } else {
        viewport.with_fullscreen(true)
    };
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "Usher",
        options,
        Box::new(move |cc| {
            let _ = ctx_cell.set(cc.egui_ctx.clone());
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the kiosk window: {e}"))?;
    drop(sync);
    Ok(true)
}
