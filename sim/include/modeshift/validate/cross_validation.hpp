#pragma once
/// `modeshift cross-validate`: k-fold cross-validation of a choice among candidate runs (settings
/// of global parameters, e.g. a sweep over one of them), so that the error reported for the
/// chosen setting is measured on observations the choice did not see.
///
/// Folds: the corridor segments, grouped by segment_id (both directions together), sorted by id
/// and dealt to the folds round robin; the count points likewise in their own folds (a daily
/// count by its count_id, a junction count by its junction, so the morning and evening counts of
/// one junction stay together). For each fold k the candidate with the lowest 05-23 h speed RMSE
/// on the segments outside fold k is selected (the first of equals) and scored on fold k. The
/// cross-validated RMSE pools the squared errors of the selected candidates over all held-out
/// segment-hours. Counts the same, with the mean |ln(simulated / observed)| as the criterion.
/// The model-free hourly profile (profile.hpp), fitted on the segments outside fold k, is scored
/// on the same held-out segment-hours for comparison.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "modeshift/validate/validate.hpp"

namespace modeshift {

/// A count simulated as 0 would have |ln ratio| = infinity: its ratio is taken as this instead.
inline constexpr double kMinCountRatio = 0.01;

struct CvCandidate {
    std::string run;                                   ///< the run folder
    ErrorStats daytime;                                ///< in-sample: all segments, 05-23 h
    std::size_t counts_n = 0;                          ///< counts located (daily and junction)
    std::optional<double> count_error;                 ///< in-sample mean |ln ratio| over those
    std::size_t picked_speeds = 0, picked_counts = 0;  ///< folds that selected it
};

struct CvFold {
    std::vector<std::string> held_out;    ///< segment ids, or count groups
    std::optional<std::size_t> chosen;    ///< candidate index; nullopt: nothing to select on
    std::optional<double> train_error;    ///< the chosen one's, outside the fold
    std::size_t n = 0;                    ///< held-out segment-hours or counts scored
    std::optional<double> test_error;     ///< the chosen one's on the fold
    std::optional<double> profile_error;  ///< speeds: the profile predictor on the same hours
};

struct CvPart {
    std::vector<CvFold> folds;
    std::size_t n = 0;              ///< held-out items scored, all folds
    std::optional<double> error;    ///< speeds: pooled RMSE km/h; counts: mean |ln ratio|
    std::optional<double> bias;     ///< speeds only: pooled mean (simulated - observed)
    std::optional<double> profile;  ///< speeds only: the profile predictor's pooled RMSE
};

struct CrossValidation {
    std::size_t k = 0;
    std::vector<CvCandidate> candidates;
    CvPart speeds, counts;
    std::vector<std::string> notes;
};

/// Cross-validates the choice among `runs` (each validated against the same observations; an
/// InputError names the run that was not). `folds` >= 2.
CrossValidation cross_validate(std::span<const ValidationResult> runs, std::size_t folds);

std::string cross_validation_table(const CrossValidation& cv);
std::string cross_validation_json(const CrossValidation& cv);

}  // namespace modeshift
