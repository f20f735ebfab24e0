//! `FastHybrid`: rxing's `HybridBinarizer` (8x8 blocks, thresholds averaged over 5x5 blocks)
//! computed in word-sized steps, bit for bit the same matrix.
//!
//! rxing sets the matrix one pixel at a time; on a 720p frame that was about 22 of the 27
//! million instructions a frame read on the first pass cost (callgrind). Here each block's
//! eight pixels of a row become a byte of bits and rows are stored a word at a time. Rows
//! for the 1D readers, and frames under 40 pixels a side, go to rxing's own binariser.

use std::borrow::Cow;
use std::cell::OnceCell;

use rxing::common::{BIT_FIELD_BASE_BITS, BitArray, BitFieldBaseType, BitMatrix, HybridBinarizer};
use rxing::common::{LineOrientation, Result};
use rxing::{Binarizer, Luma8Source};

const BLOCK: usize = 8;
const MIN_DYNAMIC_RANGE: u8 = 24;

/// rxing's hybrid binariser with a faster black matrix (identical bits).
pub(crate) struct FastHybrid<'a> {
    inner: HybridBinarizer<Luma8Source<'a>>,
    /// Packed luma, `width * height` bytes; `None` when made by `create_binarizer`.
    pixels: Option<&'a [u8]>,
    width: usize,
    height: usize,
    matrix: OnceCell<BitMatrix>,
}

impl<'a> FastHybrid<'a> {
    /// A binariser over packed luma (`stride == width`).
    pub(crate) fn new(pixels: &'a [u8], width: u32, height: u32) -> Result<Self> {
        let source = Luma8Source::new_with_slice(pixels, width, height)?;
        Ok(Self {
            inner: HybridBinarizer::new(source),
            pixels: Some(pixels),
            width: width as usize,
            height: height as usize,
            matrix: OnceCell::new(),
        })
    }
}

impl<'a> Binarizer for FastHybrid<'a> {
    type Source = Luma8Source<'a>;

    fn get_luminance_source(&self) -> &Self::Source {
        self.inner.get_luminance_source()
    }

    fn get_black_row(&self, y: usize) -> Result<Cow<'_, BitArray>> {
        self.inner.get_black_row(y)
    }

    fn get_black_row_from_matrix(&self, y: usize) -> Result<Cow<'_, BitArray>> {
        match self.matrix.get() {
            Some(m) => Ok(Cow::Owned(m.getRow(y as u32))),
            None => self.inner.get_black_row_from_matrix(y),
        }
    }

    fn get_black_matrix(&self) -> Result<&BitMatrix> {
        match self.pixels {
            Some(px) if self.width >= 5 * BLOCK && self.height >= 5 * BLOCK => {
                if let Some(m) = self.matrix.get() {
                    return Ok(m);
                }
                let m = hybrid_matrix(px, self.width, self.height)?;
                Ok(self.matrix.get_or_init(|| m))
            }
            _ => self.inner.get_black_matrix(),
        }
    }

    fn get_black_line(&self, l: usize, lt: LineOrientation) -> Result<Cow<'_, BitArray>> {
        self.inner.get_black_line(l, lt)
    }

    fn create_binarizer(&self, source: Self::Source) -> Self {
        let (width, height) = (
            rxing::LuminanceSource::get_width(&source),
            rxing::LuminanceSource::get_height(&source),
        );
        Self {
            inner: HybridBinarizer::new(source),
            pixels: None,
            width,
            height,
            matrix: OnceCell::new(),
        }
    }

    fn get_width(&self) -> usize {
        self.width
    }

    fn get_height(&self) -> usize {
        self.height
    }
}

/// The x offset of each block of a row: multiples of 8, the last one shifted inside the
/// frame when the width is not a multiple of 8.
fn block_offsets(width: usize) -> impl Iterator<Item = usize> {
    let max_x = width - BLOCK;
    (0..width.div_ceil(BLOCK)).map(move |bx| (bx * BLOCK).min(max_x))
}

/// Per 8x8 block: its black point (rxing's `calculateBlackPoints`, same rules), computed a
/// block row at a time.
fn black_points(lum: &[u8], width: usize, height: usize) -> (Vec<u32>, usize, usize) {
    let (sub_w, sub_h) = (width.div_ceil(BLOCK), height.div_ceil(BLOCK));
    let max_y = height - BLOCK;
    let mut points = vec![0u32; sub_w * sub_h];
    let (mut sum, mut lo, mut hi) = (vec![0u32; sub_w], vec![0u8; sub_w], vec![0u8; sub_w]);
    // Per column over the block row's eight rows first (loops the compiler vectorises),
    // then per block over its eight columns.
    let (mut col_sum, mut col_lo, mut col_hi) =
        (vec![0u16; width], vec![0u8; width], vec![0u8; width]);
    for by in 0..sub_h {
        let yoff = (by * BLOCK).min(max_y);
        col_sum.fill(0);
        col_lo.fill(u8::MAX);
        col_hi.fill(u8::MIN);
        for row in lum[yoff * width..(yoff + BLOCK) * width].chunks_exact(width) {
            for (((s, l), h), &v) in col_sum
                .iter_mut()
                .zip(col_lo.iter_mut())
                .zip(col_hi.iter_mut())
                .zip(row)
            {
                *s += u16::from(v);
                *l = (*l).min(v);
                *h = (*h).max(v);
            }
        }
        for (bx, xoff) in block_offsets(width).enumerate() {
            let r = xoff..xoff + BLOCK;
            sum[bx] = col_sum[r.clone()].iter().map(|&v| u32::from(v)).sum();
            lo[bx] = col_lo[r.clone()].iter().copied().fold(u8::MAX, u8::min);
            hi[bx] = col_hi[r].iter().copied().fold(u8::MIN, u8::max);
        }
        for bx in 0..sub_w {
            // rxing stops updating min/max once the range passes 24; the range only grows,
            // so the full min/max decide the same.
            let mut average = sum[bx] >> 6;
            if hi[bx] - lo[bx] <= MIN_DYNAMIC_RANGE {
                average = u32::from(lo[bx]) / 2;
                if by > 0 && bx > 0 {
                    let neighbours = (points[(by - 1) * sub_w + bx]
                        + 2 * points[by * sub_w + bx - 1]
                        + points[(by - 1) * sub_w + bx - 1])
                        / 4;
                    if u32::from(lo[bx]) < neighbours {
                        average = neighbours;
                    }
                }
            }
            points[by * sub_w + bx] = average;
        }
    }
    (points, sub_w, sub_h)
}

/// Bit `i` set when byte `i` of `px` is at most `t` (eight comparisons in one word: the
/// high bit of each byte of `(t | 0x80) - (px & 0x7f)` says whether the low seven bits are
/// at most `t`'s; where the high bits differ, `t`'s decides).
fn at_most(px: u64, t: u8) -> u8 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let y = u64::from(t) * 0x0101_0101_0101_0101;
    let low = (y | HIGH) - (px & !HIGH);
    let differ = px ^ y;
    let le = ((differ & y) | (!differ & low)) & HIGH;
    // Gather the eight high bits: byte i's lands on bit 56 + i.
    ((le >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
}

/// The hybrid binariser's matrix: each block thresholded at the mean black point of the 5x5
/// blocks around it (clamped at the edges), a pixel black when at most the threshold. Blocks
/// at the right and bottom edges are shifted inside the frame and may overlap their
/// neighbours; a pixel is black when any block holding it says so, as in rxing.
fn hybrid_matrix(lum: &[u8], width: usize, height: usize) -> Result<BitMatrix> {
    let (points, sub_w, sub_h) = black_points(lum, width, height);
    let max_y = height - BLOCK;
    let words_per_row = width.div_ceil(BIT_FIELD_BASE_BITS);
    let bytes_per_word = BIT_FIELD_BASE_BITS / 8;
    let mut words: Vec<BitFieldBaseType> = vec![0; words_per_row * height];
    let mut thresholds = vec![0u8; sub_w];
    // One byte of bits per block of a row, padded to whole words.
    let mut masks = vec![0u8; words_per_row * bytes_per_word];
    for by in 0..sub_h {
        let yoff = (by * BLOCK).min(max_y);
        let top = by.clamp(2, sub_h - 3);
        for (bx, t) in thresholds.iter_mut().enumerate() {
            let left = bx.clamp(2, sub_w - 3);
            let mut sum = 0u32;
            for z in top - 2..=top + 2 {
                sum += points[z * sub_w + left - 2..=z * sub_w + left + 2]
                    .iter()
                    .sum::<u32>();
            }
            // Black points are levels (at most 255), so is their mean.
            *t = (sum / 25).min(255) as u8;
        }
        for y in yoff..yoff + BLOCK {
            let row = &lum[y * width..(y + 1) * width];
            let out = &mut words[y * words_per_row..(y + 1) * words_per_row];
            masks.fill(0);
            let mut shifted = None;
            for (bx, xoff) in block_offsets(width).enumerate() {
                let mut px = [0u8; BLOCK];
                px.copy_from_slice(&row[xoff..xoff + BLOCK]);
                let m = at_most(u64::from_le_bytes(px), thresholds[bx]);
                if xoff == bx * BLOCK {
                    masks[bx] = m;
                } else {
                    shifted = Some((xoff, m));
                }
            }
            for (w, bytes) in out.iter_mut().zip(masks.chunks_exact(bytes_per_word)) {
                let mut le = [0u8; std::mem::size_of::<BitFieldBaseType>()];
                le.copy_from_slice(bytes);
                *w |= BitFieldBaseType::from_le_bytes(le);
            }
            if let Some((xoff, m)) = shifted {
                let (word, shift) = (xoff / BIT_FIELD_BASE_BITS, xoff % BIT_FIELD_BASE_BITS);
                let bits = BitFieldBaseType::from(m);
                out[word] |= bits << shift;
                if shift + BLOCK > BIT_FIELD_BASE_BITS {
                    out[word + 1] |= bits >> (BIT_FIELD_BASE_BITS - shift);
                }
            }
        }
    }
    let mut matrix = BitMatrix::new(width as u32, height as u32)?;
    let mut row = BitArray::with_size(width);
    for y in 0..height {
        for (i, &w) in words[y * words_per_row..(y + 1) * words_per_row]
            .iter()
            .enumerate()
        {
            row.setBulk(i * BIT_FIELD_BASE_BITS, w);
        }
        matrix.setRow(y as u32, &row);
    }
    Ok(matrix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noise_frame(width: u32, height: u32, seed: u32) -> Vec<u8> {
        let mut s = seed | 1;
        (0..width * height)
            .map(|i| {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                let (x, y) = (i % width, i / width);
                // Flat patches, gradients and noisy edges: every rule of the binariser.
                match (x / 37 + y / 29) % 4 {
                    0 => 200,
                    1 => (x * 3 % 256) as u8,
                    2 => (s % 256) as u8,
                    _ => 40 + (s % 20) as u8,
                }
            })
            .collect()
    }

    #[test]
    fn the_fast_matrix_is_rxings_bit_for_bit() {
        for (w, h, seed) in [
            (1280, 720, 1),
            (40, 40, 2),
            (123, 77, 3),
            (641, 359, 4),
            (97, 1000, 5),
        ] {
            let px = noise_frame(w, h, seed);
            let fast = FastHybrid::new(&px, w, h).expect("valid");
            let source = Luma8Source::new_with_slice(&px, w, h).expect("valid");
            let slow = HybridBinarizer::new(source);
            assert_eq!(
                fast.get_black_matrix().expect("fast"),
                slow.get_black_matrix().expect("slow"),
                "{w}x{h}"
            );
        }
    }

    #[test]
    fn eight_comparisons_in_a_word_match_one_at_a_time() {
        let mut s = 7u64;
        for _ in 0..20_000 {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let t = (s >> 56) as u8;
            let px = s.rotate_left(17) ^ ((u64::from(t) * 0x0101_0101_0101_0101) & s);
            let want = px
                .to_le_bytes()
                .iter()
                .enumerate()
                .fold(0u8, |m, (i, &v)| m | (u8::from(v <= t) << i));
            assert_eq!(at_most(px, t), want, "{px:016x} <= {t}");
        }
        for t in [0u8, 127, 128, 255] {
            for v in [0u8, 1, 126, 127, 128, 129, 254, 255] {
                assert_eq!(at_most(u64::from(v), t) & 1, u8::from(v <= t), "{v} <= {t}");
            }
        }
    }

    #[test]
    fn small_frames_use_rxings_own_binariser() {
        let px = noise_frame(30, 20, 9);
        let fast = FastHybrid::new(&px, 30, 20).expect("valid");
        let source = Luma8Source::new_with_slice(&px, 30, 20).expect("valid");
        let slow = HybridBinarizer::new(source);
        assert_eq!(
            fast.get_black_matrix().expect("fast"),
            slow.get_black_matrix().expect("slow")
        );
    }
}
