#pragma once
// The files of a GTFS feed, from a directory or a zip archive (libzip).
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace modeshift::gtfs {

class FeedSource {
  public:
    /// Opens a directory or a .zip; throws InputError if it is neither or the zip is damaged.
    explicit FeedSource(const std::filesystem::path& feed);
    /// Content of `name` (e.g. "stops.txt"), nullopt if the feed has no such file.
    std::optional<std::string> read(const std::string& name) const;
    /// Name used in error messages: "<dir>/stops.txt" or "<feed.zip>:stops.txt".
    std::string display_name(const std::string& name) const;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
    bool zip_ = false;
    std::map<std::string, std::string> zip_files_;  // entry base name -> content
};

}  // namespace modeshift::gtfs
