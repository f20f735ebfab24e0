# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# الفعاليات والحجوزات (DESIGN §9).

## نموذج الزائر وصفحة الحجز
events-open-title = فعاليات مفتوحة للحجز
events-when = من { $starts } إلى { $ends }
events-places-left = { $left ->
    [0] { $entrance }: ممتلئ
    [one] { $entrance }: بقي مكان واحد
    [two] { $entrance }: بقي مكانان
    [few] { $entrance }: بقيت { $left } أماكن
   *[other] { $entrance }: بقي { $left } مكانًا
}
events-book-link = احجز أماكن
events-book-title = احجز أماكن: { $event }
events-field-name = الاسم
events-field-phone = الهاتف
events-field-email = البريد الإلكتروني
events-field-party = كم مكانًا (أنت وعائلتك)
events-field-entrance = المدخل
events-consent = أوافق على أن يحتفظ { $venue } باسمي وهاتفي وبريدي الإلكتروني مع هذا الحجز حتى نهاية الفعالية، ومع أوقات دخولي لمدة { $days } يومًا، للتواصل معي عند الحاجة.
events-book-button = احجز أماكني
events-not-open = هذه الفعالية لا تقبل الحجز.
events-too-many = حجوزات كثيرة من هذا العنوان. انتظر دقيقة ثم حاول مرة أخرى.
events-error-entrance = يرجى اختيار مدخل من مداخل هذه الفعالية.
events-error-too-long = الاسم أطول من أن يتسع في التصريح. يرجى اختصاره.
events-doors-open = تفتح الأبواب الساعة { $time }.
events-booked = عدد الأماكن: { $places } عند مدخل { $entrance }. رقم حجزك: { $reservation }.
events-full-title = الفعالية ممتلئة
events-full = { $left ->
    [0] عذرًا، الفعالية ممتلئة: لم يبق أي مكان عند مدخل { $entrance }.
   *[other] عذرًا، الفعالية ممتلئة لمجموعة بهذا العدد: بقي { $left } عند مدخل { $entrance }.
}

## صفحات الإدارة
events-admin-title = الفعاليات
events-none = لا توجد فعاليات بعد.
events-new = فعالية جديدة
events-edit = تعديل هذه الفعالية
events-create = إنشاء الفعالية
events-save = حفظ التعديلات
events-close = إغلاق الحجز
events-csv = الحجوزات (CSV)
events-no-such = لا توجد فعالية بهذا الرقم.
events-times-utc = الأوقات بالتوقيت العالمي UTC. يفتح الحجز الآن ويغلق عند نهاية الفعالية ما لم تحددهما.
events-label-name = الاسم
events-label-starts = البداية
events-label-ends = النهاية
events-label-opens = بدء الحجز
events-label-closes = انتهاء الحجز
events-label-largest = أكبر مجموعة
events-label-grace = تفتح الأبواب قبل البداية بهذا العدد من الدقائق
events-label-entrances = المداخل، مدخل في كل سطر: الاسم وعدد الأماكن (brothers 100)
events-error-field = يرجى مراجعة الحقل «{ $field }».
events-error-order = يجب أن يأتي «{ $field }» بعد الوقت الذي قبله.
events-status-open = مفتوحة للحجز
events-status-not-yet = لم يبدأ الحجز بعد
events-status-booking-over = انتهى الحجز
events-status-closed = أغلقها أحد المشرفين
events-status-over = انتهت
events-col-event = الفعالية
events-col-when = الموعد
events-col-booked = المحجوز
events-col-status = الحالة
events-col-entrance = المدخل
events-col-places = الأماكن
events-col-left = المتبقي
events-col-arrived = الحاضرون
events-col-elsewhere = منهم من حجز لمدخل آخر
events-total = المجموع
events-parties = عدد الحجوزات: { $count }
events-as-of = حتى الساعة { $time } (تُحدَّث الصفحة كل { $seconds } ثانية).
