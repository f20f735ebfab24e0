//! `GreyFrame`: the 8-bit luma image every decoder reads, and how to get one from files,
//! `image` buffers and camera formats (YUYV, UYVY, NV12, MJPEG) without a colour conversion.

use std::borrow::Cow;
use std::path::Path;

use image::{DynamicImage, GrayImage};

/// Why a frame could not be built.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// Width or height is zero.
    #[error("frame has an empty dimension ({width}x{height})")]
    Empty {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The row stride is shorter than a row.
    #[error("row stride {stride} is shorter than a row of {row} bytes")]
    Stride {
        /// Given stride in bytes.
        stride: usize,
        /// Bytes a row needs.
        row: usize,
    },
    /// The buffer is shorter than the geometry says.
    #[error("buffer holds {got} bytes, the frame needs {need}")]
    Short {
        /// Bytes needed.
        need: usize,
        /// Bytes given.
        got: usize,
    },
    /// The geometry overflows `usize`.
    #[error("frame geometry overflows")]
    Overflow,
    /// A JPEG (a camera's MJPEG frame) could not be decoded.
    #[error("cannot decode the JPEG frame: {0}")]
    Jpeg(String),
    /// The image file could not be read or decoded.
    #[error("cannot read image {path}: {source}")]
    Image {
        /// The file.
        path: String,
        /// What `image` said.
        #[source]
        source: image::ImageError,
    },
}

/// An 8-bit luma frame, borrowed (zero copy from a camera buffer) or owned.
///
/// Row `y` starts at byte `y * stride`; only the first `width` bytes of a row are pixels.
#[derive(Debug, Clone)]
pub struct GreyFrame<'a> {
    width: u32,
    height: u32,
    stride: usize,
    data: Cow<'a, [u8]>,
}

/// The largest JPEG side [`GreyFrame::from_jpeg`] accepts (a 64 MB luma plane at most).
const MAX_SIDE: usize = 8192;

/// Bytes needed for `height` rows of `row` bytes at `stride`.
fn needed(height: u32, stride: usize, row: usize) -> Result<usize, FrameError> {
    (height as usize - 1)
        .checked_mul(stride)
        .and_then(|n| n.checked_add(row))
        .ok_or(FrameError::Overflow)
}

/// Checks a packed or planar layout; returns nothing but errors.
fn check(
    width: u32,
    height: u32,
    stride: usize,
    bytes_per_px: usize,
    len: usize,
) -> Result<(), FrameError> {
    if width == 0 || height == 0 {
        return Err(FrameError::Empty { width, height });
    }
    let row = (width as usize)
        .checked_mul(bytes_per_px)
        .ok_or(FrameError::Overflow)?;
    if stride < row {
        return Err(FrameError::Stride { stride, row });
    }
    let need = needed(height, stride, row)?;
    if len < need {
        return Err(FrameError::Short { need, got: len });
    }
    Ok(())
}

impl<'a> GreyFrame<'a> {
    /// Borrows a luma plane of `height` rows, `stride` bytes apart.
    pub fn from_luma(
        width: u32,
        height: u32,
        stride: usize,
        data: &'a [u8],
    ) -> Result<Self, FrameError> {
        check(width, height, stride, 1, data.len())?;
        Ok(Self {
            width,
            height,
            stride,
            data: Cow::Borrowed(data),
        })
    }

    /// Borrows the Y plane of an NV12 frame (the same works for NV21, I420 and YV12: the
    /// luma plane comes first in all of them). `stride` is the Y plane's row stride. Only
    /// the luma plane must be present; the chroma that follows is never read.
    pub fn from_nv12(
        width: u32,
        height: u32,
        stride: usize,
        data: &'a [u8],
    ) -> Result<Self, FrameError> {
        Self::from_luma(width, height, stride, data)
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Bytes from one row to the next.
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// Row `y` (exactly `width` bytes). Panics if `y >= height`.
    pub fn row(&self, y: u32) -> &[u8] {
        let start = y as usize * self.stride;
        &self.data[start..start + self.width as usize]
    }

    /// The pixel at (`x`, `y`). Panics if out of bounds.
    pub fn get(&self, x: u32, y: u32) -> u8 {
        self.data[y as usize * self.stride + x as usize]
    }

    /// The pixels row after row with no padding: borrowed when the stride equals the
    /// width, copied otherwise.
    pub fn pixels(&self) -> Cow<'_, [u8]> {
        let w = self.width as usize;
        let h = self.height as usize;
        if self.stride == w {
            Cow::Borrowed(&self.data[..w * h])
        } else {
            let mut out = Vec::with_capacity(w * h);
            for y in 0..self.height {
                out.extend_from_slice(self.row(y));
            }
            Cow::Owned(out)
        }
    }

    /// An owned copy with no borrowed data.
    pub fn into_owned(self) -> GreyFrame<'static> {
        GreyFrame {
            width: self.width,
            height: self.height,
            stride: self.stride,
            data: Cow::Owned(self.data.into_owned()),
        }
    }

    /// The negative (255 - v): turns a light-on-dark code into a dark-on-light one.
    pub fn inverted(&self) -> GreyFrame<'static> {
        let mut px = self.pixels().into_owned();
        for v in &mut px {
            *v = !*v;
        }
        self.packed(self.width, self.height, px)
    }

    /// A frame `factor` times smaller on each side (box average). `factor` 0 or 1 copies.
    pub fn downscaled(&self, factor: u32) -> GreyFrame<'static> {
        let f = factor.max(1);
        let (w, h) = ((self.width / f).max(1), (self.height / f).max(1));
        if f == 1 || self.width < f || self.height < f {
            return self.clone().into_owned();
        }
        let area = f * f;
        let mut out = Vec::with_capacity(w as usize * h as usize);
        let mut acc = vec![0u32; w as usize];
        for oy in 0..h {
            acc.iter_mut().for_each(|a| *a = 0);
            for dy in 0..f {
                let row = self.row(oy * f + dy);
                for (ox, a) in acc.iter_mut().enumerate() {
                    let s = ox * f as usize;
                    *a += row[s..s + f as usize]
                        .iter()
                        .map(|&v| v as u32)
                        .sum::<u32>();
                }
            }
            out.extend(acc.iter().map(|&a| (a / area) as u8));
        }
        self.packed(w, h, out)
    }

    /// For a dark frame (its 99th percentile below `below`): a copy whose 1st..99th
    /// percentiles are stretched over 0..255 and then 3x3 box-filtered (low light is noisy).
    /// `None` for a frame lit normally, or one with no contrast at all.
    pub fn stretched_if_dark(&self, below: u8) -> Option<GreyFrame<'static>> {
        let mut hist = [0u32; 256];
        for y in (0..self.height).step_by(2) {
            for &v in self.row(y).iter().step_by(2) {
                hist[v as usize] += 1;
            }
        }
        let n: u32 = hist.iter().sum();
        let level = |q: u32| {
            let mut acc = 0;
            hist.iter()
                .position(|&c| {
                    acc += c;
                    acc * 100 >= n * q
                })
                .unwrap_or(255) as i32
        };
        let (lo, hi) = (level(1), level(99));
        if hi >= i32::from(below) || hi - lo < 8 {
            return None;
        }
        let lut: Vec<u8> = (0..256)
            .map(|v| ((v - lo) * 255 / (hi - lo)).clamp(0, 255) as u8)
            .collect();
        let (w, h) = (self.width as usize, self.height as usize);
        let mut lit = Vec::with_capacity(w * h);
        for y in 0..self.height {
            lit.extend(self.row(y).iter().map(|&v| lut[v as usize]));
        }
        // 3x3 box: sums of three along rows, then of three rows.
        let mut rows3 = vec![0u16; w * h];
        for y in 0..h {
            let src = &lit[y * w..(y + 1) * w];
            for x in 0..w {
                let (l, r) = (x.saturating_sub(1), (x + 1).min(w - 1));
                rows3[y * w + x] = u16::from(src[l]) + u16::from(src[x]) + u16::from(src[r]);
            }
        }
        let mut out = vec![0u8; w * h];
        for y in 0..h {
            let (a, b, c) = (y.saturating_sub(1) * w, y * w, (y + 1).min(h - 1) * w);
            for x in 0..w {
                let sum =
                    u32::from(rows3[a + x]) + u32::from(rows3[b + x]) + u32::from(rows3[c + x]);
                out[y * w + x] = (sum / 9) as u8;
            }
        }
        Some(self.packed(self.width, self.height, out))
    }

    /// The pixels of the box from (`x0`, `y0`), `width` x `height`, clipped to the frame
    /// (at least one pixel), as a packed copy.
    pub fn cropped(&self, x0: u32, y0: u32, width: u32, height: u32) -> GreyFrame<'static> {
        let x0 = x0.min(self.width - 1);
        let y0 = y0.min(self.height - 1);
        let w = width.clamp(1, self.width - x0);
        let h = height.clamp(1, self.height - y0);
        let mut px = Vec::with_capacity(w as usize * h as usize);
        for y in y0..y0 + h {
            px.extend_from_slice(&self.row(y)[x0 as usize..(x0 + w) as usize]);
        }
        self.packed(w, h, px)
    }

    /// `factor` times larger on each side with a Catmull-Rom (bicubic) filter, in fixed
    /// point: a sharp upscale for reading codes whose modules are one to two pixels wide.
    /// `factor` 0 or 1 copies.
    pub fn upscaled(&self, factor: u32) -> GreyFrame<'static> {
        let k = factor.max(1) as usize;
        let (w, h) = (self.width as usize, self.height as usize);
        if k == 1 {
            return self.clone().into_owned();
        }
        // Per output phase: the first source tap (relative to x / k) and four weights (sum 64).
        let taps: Vec<(isize, [i32; 4])> = (0..k)
            .map(|p| {
                let s = (p as f32 + 0.5) / k as f32 - 0.5;
                let base = s.floor();
                let t = s - base;
                let (t2, t3) = (t * t, t * t * t);
                let wts = [
                    (-t + 2.0 * t2 - t3) / 2.0,
                    (2.0 - 5.0 * t2 + 3.0 * t3) / 2.0,
                    (t + 4.0 * t2 - 3.0 * t3) / 2.0,
                    (-t2 + t3) / 2.0,
                ];
                let mut q = wts.map(|v| (v * 64.0).round() as i32);
                // Keep the sum exactly 64 (flat areas stay flat).
                q[1] += 64 - q.iter().sum::<i32>();
                (base as isize - 1, q)
            })
            .collect();
        let (ow, oh) = (w * k, h * k);
        let clampi = |i: isize, n: usize| i.clamp(0, n as isize - 1) as usize;
        // Horizontal pass: h rows of ow values, scaled by 64.
        let mut mid = vec![0i32; ow * h];
        for y in 0..h {
            let row = self.row(y as u32);
            let out = &mut mid[y * ow..(y + 1) * ow];
            for (x, o) in out.iter_mut().enumerate() {
                let (first, wts) = taps[x % k];
                let sx = (x / k) as isize + first;
                *o = (0..4)
                    .map(|j| wts[j] * i32::from(row[clampi(sx + j as isize, w)]))
                    .sum();
            }
        }
        // Vertical pass.
        let mut px = vec![0u8; ow * oh];
        for y in 0..oh {
            let (first, wts) = taps[y % k];
            let sy = (y / k) as isize + first;
            let rows: [&[i32]; 4] = std::array::from_fn(|j| {
                let r = clampi(sy + j as isize, h);
                &mid[r * ow..(r + 1) * ow]
            });
            for (x, o) in px[y * ow..(y + 1) * ow].iter_mut().enumerate() {
                let v: i32 = (0..4).map(|j| wts[j] * rows[j][x]).sum();
                *o = ((v + 2048) >> 12).clamp(0, 255) as u8;
            }
        }
        self.packed(ow as u32, oh as u32, px)
    }

    /// Sharpened with the 3x3 Laplacian (5 x centre - its four neighbours), edges repeated:
    /// steeper module edges for blurred codes.
    pub fn sharpened(&self) -> GreyFrame<'static> {
        let (w, h) = (self.width as usize, self.height as usize);
        let mut px = vec![0u8; w * h];
        for y in 0..h {
            let up = self.row(y.saturating_sub(1) as u32);
            let row = self.row(y as u32);
            let down = self.row((y + 1).min(h - 1) as u32);
            for x in 0..w {
                let (l, r) = (x.saturating_sub(1), (x + 1).min(w - 1));
                let v = 5 * i32::from(row[x])
                    - i32::from(row[l])
                    - i32::from(row[r])
                    - i32::from(up[x])
                    - i32::from(down[x]);
                px[y * w + x] = v.clamp(0, 255) as u8;
            }
        }
        self.packed(self.width, self.height, px)
    }

    /// A black-and-white copy (0 or 255) thresholded at the local mean: a pixel is black when
    /// it is darker than the mean of the `window` x `window` box around it by more than
    /// `offset` levels, and the cells of `window / 2` pixels around its own span at least
    /// `min_range` levels (else white: flat areas and their sensor noise stay blank). The
    /// box follows light that changes over a few modules (a glare's falloff), where a
    /// binariser of fixed 40-pixel neighbourhoods does not. `window` is made odd and at
    /// least 3.
    pub fn thresholded(&self, window: u32, offset: u8, min_range: u8) -> GreyFrame<'static> {
        let (w, h) = (self.width as usize, self.height as usize);
        let r = (window.max(3) / 2) as usize;
        // Integral image of the levels (u32: 8192 x 8192 x 255 fits).
        let mut sum = vec![0u32; (w + 1) * (h + 1)];
        for y in 0..h {
            let row = self.row(y as u32);
            let mut acc = 0u32;
            for x in 0..w {
                acc += u32::from(row[x]);
                sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + acc;
            }
        }
        // The range of levels near each pixel: min and max over cells of `r` pixels, then
        // over each cell and its eight neighbours (which hold the pixel's whole box).
        let cell = r.max(2);
        let (cw, ch) = (w.div_ceil(cell), h.div_ceil(cell));
        let mut lo = vec![255u8; cw * ch];
        let mut hi = vec![0u8; cw * ch];
        for y in 0..h {
            let row = self.row(y as u32);
            let base = (y / cell) * cw;
            for (c, chunk) in row.chunks(cell).enumerate() {
                let (l, m) = chunk
                    .iter()
                    .fold((255u8, 0u8), |(l, m), &v| (l.min(v), m.max(v)));
                lo[base + c] = lo[base + c].min(l);
                hi[base + c] = hi[base + c].max(m);
            }
        }
        let mut busy = vec![false; cw * ch];
        for cy in 0..ch {
            for cx in 0..cw {
                let (mut l, mut m) = (255u8, 0u8);
                for ny in cy.saturating_sub(1)..(cy + 2).min(ch) {
                    for nx in cx.saturating_sub(1)..(cx + 2).min(cw) {
                        l = l.min(lo[ny * cw + nx]);
                        m = m.max(hi[ny * cw + nx]);
                    }
                }
                busy[cy * cw + cx] = m - l >= min_range;
            }
        }
        let mut out = vec![255u8; w * h];
        for y in 0..h {
            let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
            let (top, bottom) = (&sum[y0 * (w + 1)..], &sum[y1 * (w + 1)..]);
            let row = self.row(y as u32);
            let busy_row = &busy[(y / cell) * cw..];
            let out_row = &mut out[y * w..(y + 1) * w];
            for x in 0..w {
                if !busy_row[x / cell] {
                    continue;
                }
                let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
                let area = ((y1 - y0) * (x1 - x0)) as u32;
                let s = bottom[x1] + top[x0] - top[x1] - bottom[x0];
                if (u32::from(row[x]) + u32::from(offset)) * area < s {
                    out_row[x] = 0;
                }
            }
        }
        self.packed(self.width, self.height, out)
    }

    /// A copy as an `image` grey buffer.
    pub fn to_gray_image(&self) -> GrayImage {
        let px = self.pixels().into_owned();
        // The length is width*height by construction of `pixels`.
        GrayImage::from_raw(self.width, self.height, px)
            .unwrap_or_else(|| GrayImage::new(self.width, self.height))
    }

    fn packed(&self, width: u32, height: u32, px: Vec<u8>) -> GreyFrame<'static> {
        GreyFrame {
            width,
            height,
            stride: width as usize,
            data: Cow::Owned(px),
        }
    }
}

impl GreyFrame<'static> {
    /// Takes ownership of packed luma bytes (`stride == width`).
    pub fn from_vec(width: u32, height: u32, data: Vec<u8>) -> Result<Self, FrameError> {
        check(width, height, width as usize, 1, data.len())?;
        Ok(Self {
            width,
            height,
            stride: width as usize,
            data: Cow::Owned(data),
        })
    }

    /// Takes the Y bytes of a packed YUYV (YUY2) frame: Y0 U Y1 V, luma at even offsets.
    /// `stride` is the row stride in bytes (at least `2 * width`). No colour maths.
    pub fn from_yuyv(
        width: u32,
        height: u32,
        stride: usize,
        data: &[u8],
    ) -> Result<Self, FrameError> {
        Self::from_packed_422(width, height, stride, data, 0)
    }

    /// Takes the Y bytes of a packed UYVY frame: U Y0 V Y1, luma at odd offsets.
    pub fn from_uyvy(
        width: u32,
        height: u32,
        stride: usize,
        data: &[u8],
    ) -> Result<Self, FrameError> {
        Self::from_packed_422(width, height, stride, data, 1)
    }

    fn from_packed_422(
        width: u32,
        height: u32,
        stride: usize,
        data: &[u8],
        offset: usize,
    ) -> Result<Self, FrameError> {
        check(width, height, stride, 2, data.len())?;
        let w = width as usize;
        let mut out = Vec::with_capacity(w * height as usize);
        for y in 0..height as usize {
            let row = &data[y * stride..y * stride + 2 * w];
            out.extend(row.iter().skip(offset).step_by(2));
        }
        Self::from_vec(width, height, out)
    }

    /// Wraps an `image` grey buffer without copying.
    pub fn from_gray_image(img: GrayImage) -> Self {
        let (width, height) = img.dimensions();
        Self {
            width,
            height,
            stride: width as usize,
            data: Cow::Owned(img.into_raw()),
        }
    }

    /// Converts any `image` picture to grey (`to_luma8`: fine for files and tests, too
    /// slow for camera frames, which should use the luma plane).
    pub fn from_image(img: &DynamicImage) -> Self {
        Self::from_gray_image(img.to_luma8())
    }

    /// Decodes only the luma plane of a baseline or progressive YCbCr (or grey) JPEG, such
    /// as a webcam's MJPEG frame: zune-jpeg with a grey output keeps the Y samples and never
    /// converts colour (about 40 % of the time of decoding to RGB and then to grey). Other
    /// JPEGs (CMYK, Adobe RGB) go through `image` and `to_luma8`.
    pub fn from_jpeg(data: &[u8]) -> Result<Self, FrameError> {
        use zune_core::bytestream::ZCursor;
        use zune_core::colorspace::ColorSpace;
        use zune_core::options::DecoderOptions;
        let options = DecoderOptions::default()
            .set_strict_mode(false)
            .set_max_width(MAX_SIDE)
            .set_max_height(MAX_SIDE)
            .jpeg_set_out_colorspace(ColorSpace::Luma);
        let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(data), options);
        decoder
            .decode_headers()
            .map_err(|e| FrameError::Jpeg(e.to_string()))?;
        if !matches!(
            decoder.input_colorspace(),
            Some(ColorSpace::YCbCr | ColorSpace::Luma)
        ) {
            let img = image::load_from_memory_with_format(data, image::ImageFormat::Jpeg)
                .map_err(|e| FrameError::Jpeg(e.to_string()))?;
            return Ok(Self::from_image(&img));
        }
        let luma = decoder
            .decode()
            .map_err(|e| FrameError::Jpeg(e.to_string()))?;
        let (w, h) = decoder
            .dimensions()
            .ok_or_else(|| FrameError::Jpeg("no dimensions after decoding".into()))?;
        let (w, h) = (
            u32::try_from(w).map_err(|_| FrameError::Overflow)?,
            u32::try_from(h).map_err(|_| FrameError::Overflow)?,
        );
        Self::from_vec(w, h, luma)
    }

    /// Reads an image file (PNG, JPEG, GIF, WebP) as grey: JPEGs through
    /// [`GreyFrame::from_jpeg`] (luma plane only), other formats through `image` and
    /// `to_luma8`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, FrameError> {
        let path = path.as_ref();
        let image_error = |source| FrameError::Image {
            path: path.display().to_string(),
            source,
        };
        let bytes = std::fs::read(path).map_err(|e| image_error(image::ImageError::IoError(e)))?;
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF])
            && let Ok(frame) = Self::from_jpeg(&bytes)
        {
            return Ok(frame);
        }
        // Not a JPEG, or one zune-jpeg refused: `image` says why in its own words.
        let img = image::load_from_memory(&bytes).map_err(image_error)?;
        Ok(Self::from_image(&img))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuyv_takes_even_bytes_and_honours_stride() {
        // 2x2 frame, stride 6 (4 bytes of pixels + 2 padding).
        let data = [
            10, 200, 11, 201, 99, 99, //
            12, 202, 13, 203, 99, 99,
        ];
        let f = GreyFrame::from_yuyv(2, 2, 6, &data).expect("valid");
        assert_eq!(f.pixels().as_ref(), &[10, 11, 12, 13]);
        let f = GreyFrame::from_uyvy(2, 2, 6, &data).expect("valid");
        assert_eq!(f.pixels().as_ref(), &[200, 201, 202, 203]);
    }

    #[test]
    fn yuyv_rejects_short_buffers_and_strides() {
        assert!(matches!(
            GreyFrame::from_yuyv(2, 2, 4, &[0; 7]),
            Err(FrameError::Short { need: 8, got: 7 })
        ));
        assert!(matches!(
            GreyFrame::from_yuyv(2, 2, 3, &[0; 8]),
            Err(FrameError::Stride { .. })
        ));
        assert!(matches!(
            GreyFrame::from_yuyv(0, 2, 4, &[0; 8]),
            Err(FrameError::Empty { .. })
        ));
    }

    #[test]
    fn nv12_borrows_the_y_plane_only() {
        // 3x2 Y plane with stride 4, then a chroma plane that must be ignored.
        let data = [
            1, 2, 3, 0, //
            4, 5, 6, 0, //
            128, 128, 128, 128,
        ];
        let f = GreyFrame::from_nv12(3, 2, 4, &data).expect("valid");
        assert!(matches!(f.data, Cow::Borrowed(_)));
        assert_eq!(f.row(1), &[4, 5, 6]);
        assert_eq!(f.pixels().as_ref(), &[1, 2, 3, 4, 5, 6]);
        // The chroma plane is optional.
        assert!(GreyFrame::from_nv12(3, 2, 4, &data[..7]).is_ok());
        assert!(GreyFrame::from_nv12(3, 2, 4, &data[..6]).is_err());
    }

    #[test]
    fn packed_luma_is_borrowed_not_copied() {
        let data = [1u8, 2, 3, 4];
        let f = GreyFrame::from_luma(2, 2, 2, &data).expect("valid");
        assert!(matches!(f.pixels(), Cow::Borrowed(_)));
    }

    #[test]
    fn inversion_is_the_negative() {
        let f = GreyFrame::from_luma(2, 1, 3, &[0, 200, 7]).expect("valid");
        let i = f.inverted();
        assert_eq!(i.pixels().as_ref(), &[255, 55]);
        assert_eq!(i.inverted().pixels().as_ref(), &[0, 200]);
    }

    #[test]
    fn downscale_averages_boxes() {
        let f = GreyFrame::from_vec(4, 2, vec![0, 4, 10, 10, 8, 4, 20, 0]).expect("valid");
        let d = f.downscaled(2);
        assert_eq!((d.width(), d.height()), (2, 1));
        assert_eq!(d.pixels().as_ref(), &[4, 10]);
    }

    fn colour_jpeg(w: u32, h: u32) -> (Vec<u8>, GrayImage) {
        let rgb = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x * 4) as u8, (y * 6) as u8, 255 - (x * 3) as u8])
        });
        let mut jpeg = Vec::new();
        image::DynamicImage::ImageRgb8(rgb.clone())
            .write_to(
                &mut std::io::Cursor::new(&mut jpeg),
                image::ImageFormat::Jpeg,
            )
            .expect("encodes");
        // The JPEG's own luma (BT.601 weights) of the decoded RGB; `to_luma8` weighs by
        // BT.709 instead, which differs on saturated colours only.
        let rgb = image::load_from_memory(&jpeg).expect("decodes").to_rgb8();
        let via_rgb = GrayImage::from_fn(w, h, |x, y| {
            let [r, g, b] = rgb.get_pixel(x, y).0.map(f64::from);
            image::Luma([(0.299 * r + 0.587 * g + 0.114 * b).round() as u8])
        });
        (jpeg, via_rgb)
    }

    #[test]
    fn jpeg_luma_plane_is_the_luma_of_the_rgb_decoding() {
        let (jpeg, via_rgb) = colour_jpeg(48, 32);
        let f = GreyFrame::from_jpeg(&jpeg).expect("decodes");
        assert_eq!((f.width(), f.height()), (48, 32));
        // Y straight from the file against RGB -> Y: the same picture within rounding.
        for (a, b) in f.pixels().iter().zip(via_rgb.as_raw()) {
            assert!(a.abs_diff(*b) <= 3, "luma {a} against {b}");
        }
    }

    #[test]
    fn broken_jpeg_is_an_error_not_a_panic() {
        let (jpeg, _) = colour_jpeg(16, 16);
        assert!(matches!(
            GreyFrame::from_jpeg(&jpeg[..20]),
            Err(FrameError::Jpeg(_))
        ));
        assert!(GreyFrame::from_jpeg(b"not a jpeg").is_err());
    }

    #[test]
    fn open_reads_jpeg_and_png_files() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        let (jpeg, _) = colour_jpeg(20, 10);
        std::fs::write(dir.join("a.jpg"), &jpeg).expect("write");
        let png = GrayImage::from_fn(5, 4, |x, _| image::Luma([x as u8 * 50]));
        png.save(dir.join("b.png")).expect("write");
        let a = GreyFrame::open(dir.join("a.jpg")).expect("jpeg");
        assert_eq!((a.width(), a.height()), (20, 10));
        assert_eq!(
            GreyFrame::open(dir.join("b.png"))
                .expect("png")
                .to_gray_image(),
            png
        );
        std::fs::write(dir.join("c.jpg"), b"\xFF\xD8\xFF broken").expect("write");
        assert!(matches!(
            GreyFrame::open(dir.join("c.jpg")),
            Err(FrameError::Image { .. })
        ));
        assert!(GreyFrame::open(dir.join("missing.png")).is_err());
    }

    #[test]
    fn local_threshold_follows_a_glare_and_leaves_flat_areas_white() {
        // Stripes of 4-pixel modules (30 dark, 150 light) under light rising from 0 to +200
        // (clipped at 255) across the frame: one global level cannot split them, the local
        // mean can. The right quarter is flat grey with +-2 of noise.
        let (w, h) = (160u32, 8u32);
        let px: Vec<u8> = (0..w * h)
            .map(|i| {
                let x = i % w;
                if x >= 120 {
                    return 128 + (i * 7 % 5) as u8 - 2;
                }
                let base = if (x / 4) % 2 == 0 { 30 } else { 150 };
                (base + 200 * x / 120).min(255) as u8
            })
            .collect();
        let frame = GreyFrame::from_vec(w, h, px).expect("valid");
        let t = frame.thresholded(13, 0, 16);
        let y = 4;
        for x in 8..112 {
            // Away from module edges, dark modules are black and light ones white.
            if x % 4 == 0 || x % 4 == 3 {
                continue;
            }
            let want = if (x / 4) % 2 == 0 { 0 } else { 255 };
            assert_eq!(t.get(x, y), want, "x = {x}");
        }
        assert!(
            (128..w).all(|x| t.get(x, y) == 255),
            "flat area stays white"
        );
    }

    #[test]
    fn only_dark_frames_are_stretched() {
        let dark = GreyFrame::from_vec(4, 2, vec![10, 10, 40, 40, 10, 10, 40, 40]).expect("valid");
        let s = dark.stretched_if_dark(100).expect("dark");
        assert_eq!((s.width(), s.height()), (4, 2));
        // 10..40 spans 0..255 now (smoothed across the edge in the middle).
        assert_eq!((s.get(0, 0), s.get(3, 1)), (0, 255));
        let lit = GreyFrame::from_vec(2, 1, vec![20, 200]).expect("valid");
        assert!(lit.stretched_if_dark(100).is_none());
        let flat = GreyFrame::from_vec(2, 1, vec![30, 31]).expect("valid");
        assert!(flat.stretched_if_dark(100).is_none());
    }

    #[test]
    fn gray_image_round_trip() {
        let img = GrayImage::from_fn(3, 2, |x, y| image::Luma([(x + 3 * y) as u8]));
        let f = GreyFrame::from_gray_image(img.clone());
        assert_eq!(f.to_gray_image(), img);
    }
}
