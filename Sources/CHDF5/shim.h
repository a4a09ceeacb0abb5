// Accessors for libhdf5's macro constants, which Swift cannot import
// (they expand to function calls on global ids or to casts).
#ifndef SPOTCHECK_CHDF5_SHIM_H
#define SPOTCHECK_CHDF5_SHIM_H
#include <hdf5.h>
#include <string.h>

static inline hid_t sc_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t sc_H5S_ALL(void) { return H5S_ALL; }
static inline hid_t sc_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t sc_H5P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }
static inline hid_t sc_H5P_LINK_CREATE(void) { return H5P_LINK_CREATE; }
static inline hid_t sc_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t sc_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t sc_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t sc_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t sc_H5T_IEEE_F32LE(void) { return H5T_IEEE_F32LE; }
static inline hid_t sc_H5T_STD_I64LE(void) { return H5T_STD_I64LE; }
static inline hid_t sc_H5T_C_S1(void) { return H5T_C_S1; }
static inline unsigned sc_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned sc_H5F_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline unsigned sc_H5F_ACC_EXCL(void) { return H5F_ACC_EXCL; }
static inline unsigned sc_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline hsize_t sc_H5S_UNLIMITED(void) { return H5S_UNLIMITED; }
static inline size_t sc_H5T_VARIABLE(void) { return H5T_VARIABLE; }

/// Silences HDF5's automatic error-stack printing; callers report errors themselves.
static inline void sc_H5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

/// One step of sc_H5_error_stack_mentions: stops the walk at the first description that
/// contains the word.
static inline herr_t sc_H5_error_mentions_step(unsigned n, const H5E_error2_t *error, void *context) {
    (void)n;
    const char **word = (const char **)context;
    if (error->desc != NULL && *word != NULL && strstr(error->desc, *word) != NULL) {
        *word = NULL;
        return 1;
    }
    return 0;
}

/// Whether a description on the calling thread's HDF5 error stack contains `word` (e.g.
/// "checksum" after a read refused by the Fletcher-32 filter).
static inline int sc_H5_error_stack_mentions(const char *word) {
    const char *pending = word;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, sc_H5_error_mentions_step, (void *)&pending);
    return pending == NULL;
}

/// Frees the variable-length strings HDF5 allocated while reading.
static inline herr_t sc_H5_reclaim(hid_t type, hid_t space, void *buf) {
#if H5_VERSION_GE(1, 12, 0)
    return H5Treclaim(type, space, H5P_DEFAULT, buf);
#else
    return H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf);
#endif
}

/// Whether the link `name` (relative to `loc`) is a hard link: 1 yes, 0 a soft or external link
/// (which a reader of untrusted files must not follow), negative when it cannot be read.
static inline int sc_H5_is_hard_link(hid_t loc, const char *name) {
#if H5_VERSION_GE(1, 12, 0)
    H5L_info2_t info;
    if (H5Lget_info2(loc, name, &info, H5P_DEFAULT) < 0) return -1;
#else
    H5L_info_t info;
    if (H5Lget_info(loc, name, &info, H5P_DEFAULT) < 0) return -1;
#endif
    return info.type == H5L_TYPE_HARD;
}
#endif
