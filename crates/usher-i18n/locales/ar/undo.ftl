# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# تراجع المتطوع: آخر تسجيلات الدخول في هذا الجهاز، بالوقت والاسم الأول، ويمكن إلغاء كل منها.

undo-button = التراجع عن تسجيل
undo-title = تسجيلات الدخول في آخر { $minutes } دقيقة
undo-none = لا توجد تسجيلات للتراجع عنها.
undo-no-name = (بلا اسم)
undo-void = إلغاء
undo-back = رجوع
