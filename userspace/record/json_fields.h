// Reading and writing the fields of a record's JSON. Writers leave out fields that hold their
// default, which keeps event records short; readers take an absent field as its default, so a
// newer writer's extra fields and an older writer's missing ones both read. A field of the wrong
// type or out of its C++ type's range throws RecordDecodeError: records are checksummed, so that
// means a writer bug or a crafted file, and the reader skips the record.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/ipv4.h"

namespace pathwhy::record_json {

using nlohmann::json;

class RecordDecodeError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

[[noreturn]] inline void bad_field(const char* key, const char* expected) {
    throw RecordDecodeError(std::string("field \"") + key + "\" is not " + expected);
}

inline const json* field(const json& object, const char* key) {
    if (!object.is_object()) throw RecordDecodeError("expected a JSON object");
    auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

template <typename T>
T integer(const json& object, const char* key, T fallback = T{}) {
    static_assert(std::is_integral_v<T>);
    const json* value = field(object, key);
    if (!value) return fallback;
    if (value->is_number_unsigned()) {
        auto n = value->get<std::uint64_t>();
        if (n > static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
            bad_field(key, "in range");
        return static_cast<T>(n);
    }
    if (value->is_number_integer()) {
        auto n = value->get<std::int64_t>();
        if constexpr (std::is_unsigned_v<T>) {
            if (n < 0) bad_field(key, "in range");
            if (static_cast<std::uint64_t>(n) > std::numeric_limits<T>::max())
                bad_field(key, "in range");
        } else {
            if (n < std::numeric_limits<T>::min() || n > std::numeric_limits<T>::max())
                bad_field(key, "in range");
        }
        return static_cast<T>(n);
    }
    bad_field(key, "an integer");
}

inline bool boolean(const json& object, const char* key) {
    const json* value = field(object, key);
    if (!value) return false;
    if (!value->is_boolean()) bad_field(key, "a boolean");
    return value->get<bool>();
}

inline std::string text(const json& object, const char* key) {
    const json* value = field(object, key);
    if (!value) return {};
    if (!value->is_string()) bad_field(key, "a string");
    return value->get<std::string>();
}

inline std::optional<Ipv4Address> address(const json& object, const char* key) {
    const json* value = field(object, key);
    if (!value) return std::nullopt;
    auto parsed = value->is_string() ? Ipv4Address::parse(value->get<std::string>()) : std::nullopt;
    if (!parsed) bad_field(key, "an IPv4 address");
    return parsed;
}

inline std::optional<Ipv4Cidr> cidr(const json& object, const char* key) {
    const json* value = field(object, key);
    if (!value) return std::nullopt;
    auto parsed = value->is_string() ? Ipv4Cidr::parse(value->get<std::string>()) : std::nullopt;
    if (!parsed) bad_field(key, "an IPv4 prefix");
    return parsed;
}

inline std::map<std::string, std::string> string_map(const json& object, const char* key) {
    std::map<std::string, std::string> out;
    const json* value = field(object, key);
    if (!value) return out;
    if (!value->is_object()) bad_field(key, "an object");
    for (auto it = value->begin(); it != value->end(); ++it) {
        if (!it.value().is_string()) bad_field(key, "an object of strings");
        out[it.key()] = it.value().get<std::string>();
    }
    return out;
}

// Each element of the array `key` through `decode`; absent is empty.
template <typename Decode>
auto array(const json& object, const char* key, Decode decode) {
    using Item = std::invoke_result_t<Decode, const json&>;
    std::vector<Item> out;
    const json* value = field(object, key);
    if (!value) return out;
    if (!value->is_array()) bad_field(key, "an array");
    out.reserve(value->size());
    for (const json& element : *value) out.push_back(decode(element));
    return out;
}

// The one of `values` that `name_of` spells as the field's text; `fallback` when absent.
template <typename Enum, typename NameOf>
Enum named(const json& object, const char* key, std::initializer_list<Enum> values, NameOf name_of,
           Enum fallback = Enum{}) {
    if (!field(object, key)) return fallback;
    const std::string name = text(object, key);
    for (Enum value : values)
        if (name_of(value) == name) return value;
    bad_field(key, "a known name");
}

template <typename T>
void put(json& object, const char* key, const T& value) {
    if (value != T{}) object[key] = value;
}

inline void put(json& object, const char* key, const std::optional<Ipv4Address>& value) {
    if (value) object[key] = value->str();
}

inline void put(json& object, const char* key, const std::optional<Ipv4Cidr>& value) {
    if (value) object[key] = value->str();
}

inline void put(json& object, const char* key, const std::map<std::string, std::string>& value) {
    if (!value.empty()) object[key] = value;
}

// Each element through `encode` into the array `key`, left out when empty.
template <typename Item, typename Encode>
void put_array(json& object, const char* key, const std::vector<Item>& items, Encode encode) {
    if (items.empty()) return;
    json out = json::array();
    for (const Item& item : items) out.push_back(encode(item));
    object[key] = std::move(out);
}

}  // namespace pathwhy::record_json
