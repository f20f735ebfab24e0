//! usher-decode: reads QR codes from grey camera frames for the Usher kiosk (DESIGN §5).
//!
//! - [`GreyFrame`]: 8-bit luma, borrowed straight from a camera's luma plane (YUYV, NV12)
//!   or built from an `image` picture or file.
//! - [`Decoder`]: the small decoding interface, with [`RxingDecoder`] (rxing 0.9) and
//!   [`RqrrDecoder`] (rqrr 0.11).
//! - [`Cascade`]: ordered decoder steps; [`Cascade::recommended`] is the benchmark's pick.
//! - [`Tracker`]: frame after frame, the region where a code seemed to be is looked at first.
//! - [`panics`]: decoder panics are caught, counted and logged, never fatal.
//! - [`locate`]: the codes of a frame with their corners (the kiosk's preview outline).
//! - [`bench`]: the corpus benchmark behind `usher scan --bench`.

pub mod bench;
mod binarize;
pub mod cascade;
pub mod decoder;
pub mod frame;
pub mod isolate;
pub mod locate;
pub mod tracker;

pub use cascade::{Cascade, Step, Transform};
pub use decoder::{Decoder, Region, RqrrDecoder, RxingDecoder, RxingEngine};
pub use frame::{FrameError, GreyFrame};
pub use isolate::{guarded, panics};
pub use tracker::Tracker;
