//! Progress bars and plots for the training examples (host only).
//!
//! The bar shows the current loss and draws on a terminal only, so piped
//! output stays plain. Plots are PNG files under `target/plots/`, drawn
//! without text (no font stack, so no system libraries): the axes' ranges
//! are printed beside the file name instead.
#![allow(dead_code)]

use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};
use plotters::prelude::*;

/// A progress bar over `len` steps of `what`, showing the loss as its message.
pub fn progress(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    let template = format!("{what} {{bar:40}} {{pos}}/{{len}}  loss {{msg}}  ({{elapsed}})");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

/// `target/plots/<name>.png`, with its directory created.
fn plot_path(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/plots");
    let _ = std::fs::create_dir_all(&dir);
    dir.join(format!("{name}.png"))
}

type PlotResult = Result<PathBuf, Box<dyn std::error::Error>>;

/// A grey rectangle around the plotting area (no mesh: its labels would
/// need fonts).
fn frame<'a, X, Y>(
    chart: &mut ChartContext<'a, BitMapBackend<'a>, Cartesian2d<X, Y>>,
) -> Result<(), Box<dyn std::error::Error>>
where
    X: Ranged,
    Y: Ranged,
{
    let area = chart.plotting_area();
    let (w, h) = area.dim_in_pixel();
    let w = i32::try_from(w)? - 1;
    let h = i32::try_from(h)? - 1;
    area.strip_coord_spec().draw(&PathElement::new(
        vec![(0, 0), (w, 0), (w, h), (0, h), (0, 0)],
        BLACK.mix(0.5),
    ))?;
    Ok(())
}

/// The loss per epoch on a log scale: `target/plots/<name>.png`.
pub fn loss_curve(name: &str, losses: &[f32]) -> PlotResult {
    let path = plot_path(name);
    let finite: Vec<f32> = losses
        .iter()
        .copied()
        .filter(|l| *l > 0.0 && l.is_finite())
        .collect();
    let lo = finite
        .iter()
        .copied()
        .fold(f32::INFINITY, f32::min)
        .max(1e-12);
    let hi = finite
        .iter()
        .copied()
        .fold(0.0_f32, f32::max)
        .max(lo * 10.0);
    {
        let root = BitMapBackend::new(&path, (800, 500)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(20)
            .build_cartesian_2d(0.0..losses.len() as f32, (lo..hi).log_scale())?;
        frame(&mut chart)?;
        chart.draw_series(LineSeries::new(
            losses
                .iter()
                .enumerate()
                .map(|(k, l)| (k as f32, l.max(lo))),
            BLUE.stroke_width(2),
        ))?;
        root.present()?;
    }
    println!(
        "loss curve: {} (x: epochs 1..{}, y: loss {lo:.2e}..{hi:.2e}, log scale)",
        path.display(),
        losses.len()
    );
    Ok(path)
}

/// Two curves over the same x: the truth (black) and the fit (red).
pub fn fit_curve(name: &str, truth: &[(f32, f32)], fit: &[(f32, f32)]) -> PlotResult {
    let path = plot_path(name);
    let xs = truth.iter().chain(fit).map(|p| p.0);
    let ys = truth.iter().chain(fit).map(|p| p.1);
    let (x0, x1) = (
        xs.clone().fold(f32::INFINITY, f32::min),
        xs.fold(f32::NEG_INFINITY, f32::max),
    );
    let (y0, y1) = (
        ys.clone().fold(f32::INFINITY, f32::min),
        ys.fold(f32::NEG_INFINITY, f32::max),
    );
    let pad = 0.05 * (y1 - y0).max(1e-6);
    {
        let root = BitMapBackend::new(&path, (800, 500)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(20)
            .build_cartesian_2d(x0..x1, (y0 - pad)..(y1 + pad))?;
        frame(&mut chart)?;
        chart.draw_series(LineSeries::new(
            truth.iter().copied(),
            BLACK.stroke_width(3),
        ))?;
        chart.draw_series(LineSeries::new(fit.iter().copied(), RED.stroke_width(2)))?;
        root.present()?;
    }
    println!(
        "fit: {} (black: truth, red: network; x {x0:.2}..{x1:.2}, y {y0:.2}..{y1:.2})",
        path.display()
    );
    Ok(path)
}

const CLASS_COLORS: [RGBColor; 3] = [
    RGBColor(230, 80, 60),
    RGBColor(60, 160, 70),
    RGBColor(60, 90, 220),
];

/// The decision regions of a 2-D classifier over `[lo, hi]^2`, shaded by the
/// class `classify` picks, with the labelled points on top.
pub fn regions(
    name: &str,
    (lo, hi): (f32, f32),
    classify: impl Fn(f32, f32) -> usize,
    points: &[([f32; 2], usize)],
) -> PlotResult {
    let path = plot_path(name);
    let size = 500_u32;
    {
        let root = BitMapBackend::new(&path, (size, size)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .build_cartesian_2d(lo..hi, lo..hi)?;
        let cells = 120;
        let step = (hi - lo) / cells as f32;
        chart.draw_series(
            (0..cells)
                .flat_map(|i| (0..cells).map(move |j| (i, j)))
                .map(|(i, j)| {
                    let (x, y) = (lo + step * i as f32, lo + step * j as f32);
                    let c = CLASS_COLORS[classify(x + step / 2.0, y + step / 2.0) % 3].mix(0.3);
                    Rectangle::new([(x, y), (x + step, y + step)], c.filled())
                }),
        )?;
        chart.draw_series(
            points
                .iter()
                .map(|(p, class)| Circle::new((p[0], p[1]), 3, CLASS_COLORS[class % 3].filled())),
        )?;
        root.present()?;
    }
    println!(
        "decision regions: {} (x and y {lo}..{hi}; shade: predicted class, dots: data)",
        path.display()
    );
    Ok(path)
}
