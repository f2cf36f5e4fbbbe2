//! A progress line on stderr for long scans: `credlint: scanned 1200/5000
//! files (950 files/s)`, redrawn in place with `\r`. It appears only after a
//! delay (1 s from the CLI), so a quick run prints nothing, and it is erased
//! before the report is printed. The CLI shows it only when stderr is a
//! terminal and `--quiet` is not given; the check pipeline only bumps the
//! [`Counters`].

pub mod timings;

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a scan runs before the progress line appears.
pub const DEFAULT_DELAY: Duration = Duration::from_secs(1);
/// How often the line is redrawn.
pub const DEFAULT_INTERVAL: Duration = Duration::from_millis(200);

const UNKNOWN: usize = usize::MAX;

/// What the scan reports: how many files it will read (once the walk is
/// done) and how many it has read.
#[derive(Debug)]
pub struct Counters {
    total: AtomicUsize,
    done: AtomicUsize,
    /// When the walk ended and reading began: the rate counts from here.
    scan_started: OnceLock<Instant>,
    /// `--verify`: keys to ask the provider about, and answered.
    keys_total: AtomicUsize,
    keys_done: AtomicUsize,
    /// What is counted, when not files (`credlint history` counts commits).
    unit: OnceLock<&'static str>,
}

impl Default for Counters {
    fn default() -> Self {
        Counters {
            total: AtomicUsize::new(UNKNOWN),
            done: AtomicUsize::new(0),
            scan_started: OnceLock::new(),
            keys_total: AtomicUsize::new(UNKNOWN),
            keys_done: AtomicUsize::new(0),
            unit: OnceLock::new(),
        }
    }
}

impl Counters {
    /// `n` more files to read (the context read after the files asked
    /// about).
    pub fn add_total(&self, n: usize) {
        let _ = self.scan_started.set(Instant::now());
        let _ = self
            .total
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
                Some(if t == UNKNOWN { n } else { t + n })
            });
    }
    /// Count `unit` (plural, e.g. `commits`) instead of files; set once,
    /// before the scan starts.
    pub fn set_unit(&self, unit: &'static str) {
        let _ = self.unit.set(unit);
    }
    /// One more file read (or skipped).
    pub fn file_done(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }
    /// Files done, and the total once known.
    pub fn get(&self) -> (usize, Option<usize>) {
        let total = self.total.load(Ordering::Relaxed);
        (
            self.done.load(Ordering::Relaxed),
            (total != UNKNOWN).then_some(total),
        )
    }
    /// Verification of `n` keys begins (after the scan).
    pub fn verifying(&self, n: usize) {
        self.keys_total.store(n, Ordering::Relaxed);
    }
    /// One more key answered.
    pub fn key_done(&self) {
        self.keys_done.fetch_add(1, Ordering::Relaxed);
    }
    /// The progress line for the current stage.
    pub fn text(&self) -> String {
        match self.keys_total.load(Ordering::Relaxed) {
            UNKNOWN => {
                let (done, total) = self.get();
                match self.unit.get() {
                    Some(unit) => line_of(unit, done, total, self.scan_time()),
                    None => line(done, total, self.scan_time()),
                }
            }
            total => format!(
                "credlint: verifying {}/{total} keys with their providers",
                self.keys_done.load(Ordering::Relaxed)
            ),
        }
    }
    /// Time spent reading files so far (zero during the walk).
    pub fn scan_time(&self) -> Duration {
        self.scan_started
            .get()
            .map_or(Duration::ZERO, Instant::elapsed)
    }
}

/// The text of the progress line; the rate is over `elapsed` reading time.
pub fn line(done: usize, total: Option<usize>, elapsed: Duration) -> String {
    match total {
        None => "credlint: finding files…".to_string(),
        Some(total) => {
            let secs = elapsed.as_secs_f64();
            let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
            format!("credlint: scanned {done}/{total} files ({rate:.0} files/s)")
        }
    }
}

/// The progress line for a scan that counts `unit` (plural) rather than
/// files: `credlint: scanned 1200/5000 commits (950 commits/s)`.
pub fn line_of(unit: &str, done: usize, total: Option<usize>, elapsed: Duration) -> String {
    match total {
        None => format!("credlint: listing {unit}…"),
        Some(total) => {
            let secs = elapsed.as_secs_f64();
            let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
            format!("credlint: scanned {done}/{total} {unit} ({rate:.0} {unit}/s)")
        }
    }
}

/// A running progress display; [`Progress::finish`] (or dropping it) stops
/// it and erases the line.
pub struct Progress {
    stop: Arc<(Mutex<bool>, Condvar)>,
    handle: Option<JoinHandle<()>>,
}

impl Progress {
    /// Start drawing to `out` after `delay`, every `interval`.
    pub fn start(
        counters: Arc<Counters>,
        mut out: Box<dyn Write + Send>,
        delay: Duration,
        interval: Duration,
    ) -> Progress {
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let signal = stop.clone();
        let handle = std::thread::spawn(move || {
            let (lock, cvar) = &*signal;
            // Wait out the delay (or an early stop).
            if wait_for_stop(lock, cvar, delay) {
                return;
            }
            let mut width: usize = 0;
            loop {
                let text = counters.text();
                let len = text.chars().count();
                // Pad over a longer previous line instead of using an ANSI
                // erase, which a dumb terminal would print.
                let pad = width.saturating_sub(len);
                let _ = write!(out, "\r{text}{:pad$}", "");
                let _ = out.flush();
                width = width.max(len);
                if wait_for_stop(lock, cvar, interval) {
                    break;
                }
            }
            let _ = write!(out, "\r{:width$}\r", "");
            let _ = out.flush();
        });
        Progress {
            stop,
            handle: Some(handle),
        }
    }

    /// Stop and erase the line; returns once it is erased.
    pub fn finish(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        let (lock, cvar) = &*self.stop;
        if let Ok(mut stopped) = lock.lock() {
            *stopped = true;
        }
        cvar.notify_all();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

/// Wait up to `timeout` for the stop flag; true when it is set.
fn wait_for_stop(lock: &Mutex<bool>, cvar: &Condvar, timeout: Duration) -> bool {
    let Ok(guard) = lock.lock() else {
        return true;
    };
    match cvar.wait_timeout_while(guard, timeout, |stopped| !*stopped) {
        Ok((stopped, _)) => *stopped,
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer the test can read back.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    #[test]
    fn line_text() {
        assert_eq!(
            line(0, None, Duration::from_secs(2)),
            "credlint: finding files…"
        );
        assert_eq!(
            line(1200, Some(5000), Duration::from_secs(2)),
            "credlint: scanned 1200/5000 files (600 files/s)"
        );
        assert_eq!(
            line(0, Some(0), Duration::ZERO),
            "credlint: scanned 0/0 files (0 files/s)"
        );
    }

    #[test]
    fn counting_commits() {
        assert_eq!(
            line_of("commits", 1200, Some(5000), Duration::from_secs(2)),
            "credlint: scanned 1200/5000 commits (600 commits/s)"
        );
        let c = Counters::default();
        c.set_unit("commits");
        assert_eq!(c.text(), "credlint: listing commits…");
        c.add_total(3);
        c.file_done();
        assert!(
            c.text().starts_with("credlint: scanned 1/3 commits ("),
            "{}",
            c.text()
        );
    }

    #[test]
    fn counters() {
        let c = Counters::default();
        assert_eq!(c.get(), (0, None));
        assert_eq!(c.scan_time(), Duration::ZERO);
        c.add_total(3);
        c.file_done();
        c.file_done();
        assert_eq!(c.get(), (2, Some(3)));
        std::thread::sleep(Duration::from_millis(5));
        assert!(c.scan_time() >= Duration::from_millis(5));
        assert!(c.text().starts_with("credlint: scanned 2/3 files"));
        c.verifying(4);
        c.key_done();
        assert_eq!(
            c.text(),
            "credlint: verifying 1/4 keys with their providers"
        );
    }

    #[test]
    fn a_quick_scan_prints_nothing() {
        let out = Shared::default();
        let p = Progress::start(
            Arc::new(Counters::default()),
            Box::new(out.clone()),
            Duration::from_secs(30),
            Duration::from_millis(10),
        );
        let t = Instant::now();
        p.finish();
        // finish does not wait out the delay
        assert!(t.elapsed() < Duration::from_secs(10));
        assert_eq!(out.text(), "");
    }

    #[test]
    fn a_long_scan_shows_progress_then_erases_it() {
        let out = Shared::default();
        let counters = Arc::new(Counters::default());
        let p = Progress::start(
            counters.clone(),
            Box::new(out.clone()),
            Duration::ZERO,
            Duration::from_millis(5),
        );
        // wait for the first draw
        let deadline = Instant::now() + Duration::from_secs(10);
        while !out.text().contains("finding files") && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
        counters.add_total(10);
        for _ in 0..4 {
            counters.file_done();
        }
        while !out.text().contains("4/10 files") && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
        p.finish();
        let text = out.text();
        assert!(text.starts_with("\rcredlint: finding files…"), "{text:?}");
        assert!(
            text.contains("\rcredlint: scanned 4/10 files ("),
            "{text:?}"
        );
        assert!(text.contains(" files/s)"), "{text:?}");
        // erased with spaces as wide as the widest line, cursor back at 0
        let widest = text
            .split('\r')
            .map(|s| s.trim_end().chars().count())
            .max()
            .unwrap();
        assert!(
            text.ends_with(&format!("\r{}\r", " ".repeat(widest))),
            "{text:?}"
        );
        assert!(!text.contains('\n'));
    }
}
