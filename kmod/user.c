// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-user accounting.  Looked up when a file is opened, never on the
 * submit path: the file keeps its user and counts jobs against it with
 * atomics.
 *
 * Copyright (C) 2026 The edgeai authors
 */

#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "edgeai.h"

static DEFINE_HASHTABLE(edgeai_users, 6);
static DEFINE_SPINLOCK(edgeai_users_lock);

/**
 * edgeai_user_get() - find or make the accounting of a user
 * @uid: the user
 *
 * Return: the user's accounting with a reference taken, NULL when out of
 * memory.
 */
struct edgeai_user *edgeai_user_get(kuid_t uid)
{
	u32 nr_flows = edgeai_nr_clusters * EDGEAI_NR_FAIR;
	struct edgeai_user *user, *fresh;
	u32 key = __kuid_val(uid);

	/*
	 * Shared by the user's files, so not charged to one file's memory
	 * cgroup.  The clusters are all known before the device opens; a
	 * zeroed flow is an empty one.
	 */
	fresh = kzalloc(struct_size(fresh, flows, nr_flows), GFP_KERNEL);
	spin_lock(&edgeai_users_lock);
	hash_for_each_possible(edgeai_users, user, node, key) {
		if (uid_eq(user->uid, uid)) {
			refcount_inc(&user->ref);
			spin_unlock(&edgeai_users_lock);
			kfree(fresh);
			return user;
		}
	}
	if (fresh) {
		fresh->uid = uid;
		refcount_set(&fresh->ref, 1);
		atomic_set(&fresh->jobs, 0);
		atomic_set(&fresh->graphs, 0);
		fresh->nr_flows = nr_flows;
		hash_add(edgeai_users, &fresh->node, key);
	}
	spin_unlock(&edgeai_users_lock);
	return fresh;
}

/**
 * edgeai_user_put() - drop a reference on a user's accounting
 * @user: the user
 */
void edgeai_user_put(struct edgeai_user *user)
{
	/* Only at close: the lock is taken every time, for simplicity. */
	spin_lock(&edgeai_users_lock);
	if (!refcount_dec_and_test(&user->ref)) {
		spin_unlock(&edgeai_users_lock);
		return;
	}
	hash_del(&user->node);
	spin_unlock(&edgeai_users_lock);
	WARN_ON(atomic_read(&user->jobs));
	WARN_ON(atomic_read(&user->graphs));
	kfree(user);
}
