/* SPDX-License-Identifier: Apache-2.0 */
/* Symbol visibility for crmpolicy. Everything not marked CRM_API is hidden in the shared library. */
#ifndef CRMPOLICY_EXPORT_H
#define CRMPOLICY_EXPORT_H

#if defined(CRM_STATIC)
#  define CRM_API
#elif defined(_WIN32)
#  if defined(CRM_BUILDING_LIBRARY)
#    define CRM_API __declspec(dllexport)
#  else
#    define CRM_API __declspec(dllimport)
#  endif
#else
#  define CRM_API __attribute__((visibility("default")))
#endif

/* For C++ classes: an attribute-specifier, so it can stand next to [[nodiscard]]. */
#if defined(CRM_STATIC)
#  define CRM_CXX_API
#elif defined(_WIN32)
#  define CRM_CXX_API CRM_API
#else
#  define CRM_CXX_API [[gnu::visibility("default")]]
#endif

#if defined(__GNUC__) || defined(__clang__)
#  define CRM_DEPRECATED(msg) __attribute__((deprecated(msg)))
#elif defined(_MSC_VER)
#  define CRM_DEPRECATED(msg) __declspec(deprecated(msg))
#else
#  define CRM_DEPRECATED(msg)
#endif

#endif /* CRMPOLICY_EXPORT_H */
