#pragma once
/// Helpers for reading JSON input with errors that name the file and the JSON path ($.a.b[3]).
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include "modeshift/core/error.hpp"

namespace modeshift {

using Json = nlohmann::json;

/// Parses a JSON file (a regular file within io/input_file.hpp's kJsonInput cap); a syntax error
/// names the file, line and column, and a key given twice in one object is refused with its JSON
/// path (nlohmann::json would keep the last one silently).
Json read_json_file(const std::filesystem::path& path);
/// The same for JSON text that `origin` names in errors.
Json parse_json_text(const std::string& text, const std::string& origin);

/// A cursor into a JSON document that knows its file and path, for precise errors.
class JsonCursor {
  public:
    JsonCursor(const Json& j, std::string file, std::string path = "$")
        : j_(&j), file_(std::move(file)), path_(std::move(path)) {}

    const Json& json() const { return *j_; }
    const std::string& path() const { return path_; }
    const std::string& file() const { return file_; }

    bool has(const std::string& key) const { return j_->is_object() && j_->contains(key); }
    JsonCursor at(const std::string& key) const;  ///< required member
    JsonCursor at(std::size_t i) const;           ///< required array element
    std::size_t size() const;                     ///< array size (must be an array)

    double number() const;  ///< finite number
    double number(const std::string& key) const { return at(key).number(); }
    double number_or(const std::string& key, double fallback) const {
        return has(key) ? number(key) : fallback;
    }
    long long integer() const;
    long long integer(const std::string& key) const { return at(key).integer(); }
    std::string string() const;
    std::string string(const std::string& key) const { return at(key).string(); }
    std::string string_or(const std::string& key, const std::string& fallback) const {
        return has(key) ? string(key) : fallback;
    }
    bool boolean() const;
    bool boolean_or(const std::string& key, bool fallback) const {
        return has(key) ? at(key).boolean() : fallback;
    }
    void expect_object() const;
    void expect_array() const;
    /// Throws if the object has a key not in `allowed` (catches typos in scenario files).
    void only_keys(std::initializer_list<const char*> allowed) const;

    [[noreturn]] void fail(const std::string& message) const;

  private:
    const Json* j_;
    std::string file_;
    std::string path_;
};

/// Calls read(element) for every element of the array `array`, each an object that may hold only
/// the keys `allowed` (a list of records in a parameter file).
template <class F>
void for_each_object(const JsonCursor& array, std::initializer_list<const char*> allowed,
                     F&& read) {
    for (std::size_t i = 0; i < array.size(); ++i) {
        const JsonCursor element = array.at(i);
        element.only_keys(allowed);
        read(element);
    }
}

}  // namespace modeshift
