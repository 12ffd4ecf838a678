//! Stable keys of random streams: every draw of a run derives from the run's
//! key, the item, the stage's name key and the purpose (SPEC §2.4).

/// SplitMix64's finaliser: a bijective 64-bit mix used to derive random streams.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The key of run `run` under `seed`; every draw of that run derives from it.
pub fn run_key(seed: u64, run: u64) -> u64 {
    mix64(mix64(seed ^ 0x5eed_f10c_a575_0000).wrapping_add(run))
}

/// A stable 64-bit key from a stage name (FNV-1a, then mixed).
pub fn name_key(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix64(h)
}
